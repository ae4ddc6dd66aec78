/**
 * Each credential's declared test request, run the way n8n's credential tester runs it
 * (./credentialTester.ts), against the provider sandbox over real HTTP: it must pass with the
 * sandbox's key, fail with a wrong one, and never cost anything.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { JoggAiApi } from '../../credentials/JoggAiApi.credentials';
import { ModellixApi } from '../../credentials/ModellixApi.credentials';
import { PersonateApi } from '../../credentials/PersonateApi.credentials';
import { SyncSoApi } from '../../credentials/SyncSoApi.credentials';
import { VozoApi } from '../../credentials/VozoApi.credentials';
import { closedLoopbackUrl } from '../harness/closedLoopbackUrl';
import { startSandbox, type Vendor } from '../sandbox';
import { runCredentialTest } from './credentialTester';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** One entry per sandbox vendor (the type makes a new vendor's entry required). */
const CREDENTIALS: Record<Vendor, { type: ICredentialType; productionUrl: string; header: string }> = {
	vozo: { type: new VozoApi(), productionUrl: 'https://api.vozo.ai', header: 'authorization' },
	personate: { type: new PersonateApi(), productionUrl: 'https://raijin.personate.ai', header: 'authorization' },
	modellix: { type: new ModellixApi(), productionUrl: 'https://api.modellix.ai', header: 'authorization' },
	joggai: { type: new JoggAiApi(), productionUrl: 'https://api.jogg.ai', header: 'x-api-key' },
	syncso: { type: new SyncSoApi(), productionUrl: 'https://api.sync.so', header: 'x-api-key' },
};
const credentials = (Object.keys(CREDENTIALS) as Vendor[]).map((vendor) => ({ vendor, ...CREDENTIALS[vendor] }));

const property = (type: ICredentialType, name: string): INodeProperties | undefined =>
	type.properties.find((p) => p.name === name);


let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ jitterMs: 0 });
});

afterAll(async () => {
	await sb?.close();
});

afterEach(() => {
	for (const { vendor } of credentials) sb.setFault(vendor, null);
});

describe.each(credentials)('$type.name', ({ vendor, type, productionUrl, header }) => {
	it('declares an API key (secret, required) and an editable base URL defaulting to production', () => {
		expect(type.name).toMatch(/Api$/);
		expect(type.constructor.name).toMatch(/Api$/);
		expect(property(type, 'apiKey')).toMatchObject({ required: true, typeOptions: { password: true } });
		expect(property(type, 'baseUrl')).toMatchObject({ type: 'string', default: productionUrl });
	});

	it('points at light and dark icons that exist', () => {
		const icon = type.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			expect(existsSync(path.resolve(__dirname, '../../credentials', file.replace(/^file:/, '')))).toBe(true);
		}
		expect(icon.light).not.toBe(icon.dark);
	});

	it('passes with the sandbox key, sent in the vendor header', async () => {
		sb.log.clear();
		const result = await runCredentialTest(type, { apiKey: sb.keys[vendor], baseUrl: sb.baseUrl(vendor) });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [entry] = sb.log.entries({ vendor });
		expect(entry.headers[header]).toBe('***');
	});

	it('fails with a wrong key', async () => {
		const result = await runCredentialTest(type, { apiKey: 'wrong-key', baseUrl: sb.baseUrl(vendor) });
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain('wrong-key');
	});

	it('accepts a base URL with a trailing slash', async () => {
		const result = await runCredentialTest(type, { apiKey: sb.keys[vendor], baseUrl: `${sb.baseUrl(vendor)}/` });
		expect(result.status).toBe('OK');
	});

	it('fails when the vendor answers 503 (the key could not be checked)', async () => {
		sb.setFault(vendor, { kind: 'serverError', httpStatus: 503 });
		const result = await runCredentialTest(type, { apiKey: sb.keys[vendor], baseUrl: sb.baseUrl(vendor) });
		expect(result.status).toBe('Error');
	});

	it('costs nothing: only a free GET, never a create', async () => {
		sb.log.clear();
		await runCredentialTest(type, { apiKey: sb.keys[vendor], baseUrl: sb.baseUrl(vendor) });
		await runCredentialTest(type, { apiKey: 'wrong-key', baseUrl: sb.baseUrl(vendor) });
		const entries = sb.log.entries({ vendor });
		expect(entries).toHaveLength(2);
		for (const entry of entries) expect(entry.method).toBe('GET');
		expect(sb.jobs.list(vendor)).toHaveLength(0);
	});
});

/**
 * A revoked, invalid or API-less key, as each vendor answers it (codes typed as the vendor's
 * docs say), must fail the test. The sandbox answers a key containing `revoked` (Vozo) or
 * `no-permission` (JoggAI) with those codes.
 */
describe('a rejected key fails the credential test, whatever the vendor answers', () => {
	const cases: Array<{ name: string; vendor: Vendor; type: ICredentialType; key: string; sent: unknown; message: RegExp }> = [
		{ name: 'Vozo revoked key (HTTP 400, code "1302")', vendor: 'vozo', type: new VozoApi(), key: 'revoked-key-0001', sent: '1302', message: /revoked \(code 1302\)/ },
		{ name: 'Vozo key without API access (HTTP 400, code "1503")', vendor: 'vozo', type: new VozoApi(), key: 'wrong-key-0001', sent: '1503', message: /not authorized for the API \(code 1503\)/ },
		{ name: 'JoggAI invalid key (HTTP 200, code 10105)', vendor: 'joggai', type: new JoggAiApi(), key: 'wrong-key-0001', sent: 10105, message: /rejected the API key \(code 10105\)/ },
		{ name: 'JoggAI key without API permission (HTTP 200, code 18025)', vendor: 'joggai', type: new JoggAiApi(), key: 'no-permission-key-0001', sent: 18025, message: /no API permission \(code 18025\)/ },
		{ name: 'Modellix invalid key (HTTP 200, is_valid false)', vendor: 'modellix', type: new ModellixApi(), key: 'wrong-key-0001', sent: undefined, message: /not valid/ },
		{ name: 'Personate invalid key (HTTP 401)', vendor: 'personate', type: new PersonateApi(), key: 'wrong-key-0001', sent: undefined, message: /Unauthorized|401/ },
		{ name: 'sync.so invalid key (HTTP 401, errorCode "unauthorized")', vendor: 'syncso', type: new SyncSoApi(), key: 'wrong-key-0001', sent: undefined, message: /Unauthorized|401/ },
	];

	it.each(cases)('$name', async ({ vendor, type, key, sent, message }) => {
		sb.log.clear();
		const result = await runCredentialTest(type, { apiKey: key, baseUrl: sb.baseUrl(vendor) });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain(key);
		const answer = sb.log.entries({ vendor })[0].responseBody as { code?: unknown };
		if (sent !== undefined) expect(answer.code).toBe(sent);
	});

	it('Personate: an HTTP 200 error body fails the test', async () => {
		sb.setFault('personate', { kind: 'errorEnvelope' });
		const result = await runCredentialTest(new PersonateApi(), { apiKey: sb.keys.personate, baseUrl: sb.baseUrl('personate') });
		expect(result).toEqual({ status: 'Error', message: 'Personate answered with an error' });
	});

	// Vozo's schema says string, JoggAI's docs show numbers: a vendor that sends the other
	// spelling must not pass as "Connection successful" either.
	it.each([
		['Vozo', new VozoApi(), 400, { code: 1302, message: 'API key revoked' }, /code 1302/],
		['JoggAI', new JoggAiApi(), 200, { code: '10105', msg: 'invalid API key', data: null }, /code 10105/],
	])('%s: the other spelling of a rejection code fails the test too', async (_vendor, type, status, body, message) => {
		const server = createServer((_req, res) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = server.address() as AddressInfo;
			const result = await runCredentialTest(type, { apiKey: 'some-key-0001', baseUrl: `http://127.0.0.1:${port}` });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(message);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});

describe('vendor-specific answers', () => {
	it('JoggAI: a bad key is HTTP 200 with code 10105, reported by the body rule', async () => {
		const result = await runCredentialTest(new JoggAiApi(), { apiKey: 'wrong-key', baseUrl: sb.baseUrl('joggai') });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('10105') });
	});

	it('JoggAI: works with the /open base path some JoggAI docs use', async () => {
		const result = await runCredentialTest(new JoggAiApi(), {
			apiKey: sb.keys.joggai,
			baseUrl: `${sb.baseUrl('joggai')}/open`,
		});
		expect(result.status).toBe('OK');
	});

	it('Modellix: a key reported is_valid false fails with the rule message', async () => {
		const result = await runCredentialTest(new ModellixApi(), { apiKey: 'wrong-key', baseUrl: sb.baseUrl('modellix') });
		expect(result).toEqual({ status: 'Error', message: 'Modellix says this API key is not valid' });
	});

	it('Vozo: a good key gets "not found", which the test accepts; a bad key gets an auth code', async () => {
		sb.log.clear();
		const good = await runCredentialTest(new VozoApi(), { apiKey: sb.keys.vozo, baseUrl: sb.baseUrl('vozo') });
		expect(good.status).toBe('OK');
		expect(sb.log.entries({ vendor: 'vozo' })[0].statusCode).toBeGreaterThanOrEqual(400);

		const bad = await runCredentialTest(new VozoApi(), { apiKey: 'wrong-key', baseUrl: sb.baseUrl('vozo') });
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/^Vozo: .*\(code \d+\)$/);
	});

	it('Personate: a bad key is an HTTP 401', async () => {
		const result = await runCredentialTest(new PersonateApi(), { apiKey: 'wrong-key', baseUrl: sb.baseUrl('personate') });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Unauthorized|401/);
	});

	it('an unreachable base URL fails', async () => {
		const result = await runCredentialTest(new ModellixApi(), { apiKey: 'k', baseUrl: await closedLoopbackUrl() });
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

/** The sandbox's other answers where a vendor's documents are silent (test/sandbox/variants.ts). */
describe('credential tests against the sandbox variants', () => {
	afterEach(() => sb.setOptions({ variants: {} }));

	it('Personate: a bad key answered HTTP 200 {success: false} fails the test (personateBadKeyInBody)', async () => {
		sb.setOptions({ variants: { personateBadKeyInBody: true } });
		const bad = await runCredentialTest(new PersonateApi(), { apiKey: 'wrong-key-0001', baseUrl: sb.baseUrl('personate') });
		expect(bad).toEqual({ status: 'Error', message: 'Personate refused this API key' });
		const good = await runCredentialTest(new PersonateApi(), { apiKey: sb.keys.personate, baseUrl: sb.baseUrl('personate') });
		expect(good.status).toBe('OK');
	});

	it('Vozo: when an unknown task is answered 403 (vozoUnknownTaskForbidden), a good key passes once the Credential Test Path names another free GET', async () => {
		sb.setOptions({ variants: { vozoUnknownTaskForbidden: true } });
		const asGuessed = await runCredentialTest(new VozoApi(), { apiKey: sb.keys.vozo, baseUrl: sb.baseUrl('vozo') });
		expect(asGuessed.status).toBe('Error');
		const credentialCheckPath = '/v1/reusable_lipsync_model_video_generation/lipsync-credential-check';
		sb.log.clear();
		const corrected = await runCredentialTest(new VozoApi(), { apiKey: sb.keys.vozo, baseUrl: sb.baseUrl('vozo'), credentialCheckPath });
		expect(corrected.status).toBe('OK');
		expect(sb.log.entries({ vendor: 'vozo' }).map((entry) => entry.path)).toEqual([`/vozo${credentialCheckPath}`]);
		const bad = await runCredentialTest(new VozoApi(), { apiKey: 'wrong-key-0001', baseUrl: sb.baseUrl('vozo'), credentialCheckPath });
		expect(bad.status).toBe('Error');
	});
});
