/**
 * sync.so's webhook signature check (nodes/SyncSo/syncSo.triggerSignature.ts) against deliveries
 * signed the way the sandbox's sync.so signs them (test/sandbox/vendors/syncsoWebhooks.ts):
 * raw body first, compact re-serialisation as fallback, the secret as-is, the signed timestamp's
 * age in seconds or milliseconds.
 */
import { parseSyncSignature, verifySyncDelivery } from '../../nodes/SyncSo/syncSo.triggerSignature';
import { signSyncsoWebhook } from '../sandbox/vendors/syncsoWebhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const RULES = { toleranceSeconds: 300, millisecondsFrom: 1e12 };
const NOW = Date.parse('2026-05-01T10:00:00.000Z');
const nowSeconds = Math.floor(NOW / 1000);

const GENERATION = { id: 'a7632e75-adb8-4dc3-b92b-265cda7e6eed', status: 'COMPLETED', model: 'lipsync-2', outputUrl: 'https://cdn.example.test/out.mp4' };
const compact = JSON.stringify(GENERATION);
/** The same JSON with spaces and a line break: what a sender's pretty printer could send. */
const spaced = JSON.stringify(GENERATION, null, 1);

const verify = (header: string | undefined, body: string, now = NOW, secret = SECRET) =>
	verifySyncDelivery(secret, header, Buffer.from(body), now, RULES);

describe('the Sync-Signature check', () => {
	it('accepts a signature over the raw body, keyed with the secret including its whsec_ prefix', () => {
		expect(verify(signSyncsoWebhook(SECRET, compact, nowSeconds), compact)).toEqual({ ok: true, signedAtMs: nowSeconds * 1000 });
		expect(verify(signSyncsoWebhook(SECRET, spaced, nowSeconds), spaced)).toMatchObject({ ok: true });
	});

	it("accepts a body whose signature covers its compact re-serialisation (sync.so's samples sign that)", () => {
		expect(spaced).not.toBe(compact);
		expect(verify(signSyncsoWebhook(SECRET, compact, nowSeconds), spaced)).toMatchObject({ ok: true });
	});

	it('refuses another secret, the secret without its whsec_ prefix, and a changed body', () => {
		const header = signSyncsoWebhook(SECRET, compact, nowSeconds);
		expect(verify(signSyncsoWebhook('whsec_someone_else', compact, nowSeconds), compact)).toEqual({ ok: false, reason: 'Invalid Sync-Signature' });
		expect(verify(signSyncsoWebhook(SECRET.slice('whsec_'.length), compact, nowSeconds), compact)).toMatchObject({ ok: false });
		expect(verify(header, compact.replace('COMPLETED', 'FAILED'))).toEqual({ ok: false, reason: 'Invalid Sync-Signature' });
	});

	it('refuses a signature whose timestamp was changed (the timestamp is signed)', () => {
		const header = signSyncsoWebhook(SECRET, compact, nowSeconds - 3600);
		const moved = header.replace(/t=\d+/, `t=${nowSeconds}`);
		expect(verify(moved, compact)).toEqual({ ok: false, reason: 'Invalid Sync-Signature' });
	});

	it('refuses a missing or malformed header, and verifies nothing without a secret', () => {
		const v1 = signSyncsoWebhook(SECRET, compact, nowSeconds).split('v1=')[1];
		for (const header of [undefined, '', v1, `v1=${v1}`, `t=${nowSeconds}`, `t=soon,v1=${v1}`]) {
			expect(verify(header, compact)).toMatchObject({ ok: false, reason: expect.stringContaining('Missing or malformed Sync-Signature') });
		}
		expect(verify(signSyncsoWebhook(SECRET, compact, nowSeconds), compact, NOW, '')).toMatchObject({ ok: false, reason: expect.stringContaining('No webhook signing secret') });
	});

	it('accepts a header with spaces, upper-case hex, or several v1 of which one is valid', () => {
		const header = signSyncsoWebhook(SECRET, compact, nowSeconds);
		const [t, v1] = header.split(',');
		expect(verify(`${t}, ${v1.toUpperCase().replace('V1=', 'v1=')}`, compact)).toMatchObject({ ok: true });
		expect(verify(`${t},v1=${'0'.repeat(64)},${v1}`, compact)).toMatchObject({ ok: true });
		expect(parseSyncSignature(`${t},v1=abc,v1=DEF`)).toEqual({ t: t.slice(2), v1: ['abc', 'def'] });
	});

	it('refuses a timestamp more than 300 s old or ahead, accepts one within', () => {
		const at = (secondsAgo: number) => verify(signSyncsoWebhook(SECRET, compact, nowSeconds - secondsAgo), compact);
		expect(at(299)).toMatchObject({ ok: true });
		expect(at(-299)).toMatchObject({ ok: true });
		expect(at(301)).toMatchObject({ ok: false, reason: expect.stringContaining('301 s old') });
		expect(at(-301)).toMatchObject({ ok: false, reason: expect.stringContaining('in the future') });
	});

	it('reads a 13-digit timestamp as milliseconds, so a fresh one in ms is accepted and an old one refused', () => {
		expect(verify(signSyncsoWebhook(SECRET, compact, NOW - 1000), compact)).toEqual({ ok: true, signedAtMs: NOW - 1000 });
		expect(verify(signSyncsoWebhook(SECRET, compact, NOW - 400_000), compact)).toMatchObject({ ok: false, reason: expect.stringContaining('400 s old') });
	});
});
