/** sync.so's Idempotency-Key in the sandbox (vendors/syncsoIdempotency.ts), over HTTP. */
import { startSandbox, type Sandbox } from './index';
import { call } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 150, jitterMs: 0, extraKeys: { syncso: ['sandbox-syncso-other-org'] } });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const body = (audio = 'https://cdn.example.test/voice.mp3') => ({
	model: 'lipsync-2',
	input: [
		{ type: 'video', url: 'https://cdn.example.test/face.mp4' },
		{ type: 'audio', url: audio },
	],
});
const create = (key: string | undefined, payload = body(), apiKey?: string) =>
	call(sb, 'syncso', '/v2/generate', { body: payload, key: apiKey, headers: key === undefined ? {} : { 'Idempotency-Key': key } });
const generationsFor = (key: string) => sb.jobs.list('syncso').filter((job) => job.meta.idempotencyKey === key);

test('the same key with the same inputs answers the same generation (201) and makes one; the key is in the request log', async () => {
	const first = await create('order-42.try_1~a');
	const again = await create('order-42.try_1~a');
	expect([first.status, again.status]).toEqual([201, 201]);
	expect(again.json.id).toBe(first.json.id);
	expect(generationsFor('order-42.try_1~a')).toHaveLength(1);
	expect(sb.jobs.list('syncso')).toHaveLength(1);
	const keys = sb.log.entries({ vendor: 'syncso', endpoint: 'create' }).map((entry) => entry.headers['idempotency-key']);
	expect(keys).toEqual(['order-42.try_1~a', 'order-42.try_1~a']);
});

test('inputs in another key order are the same inputs; without a key every create is a new generation', async () => {
	const { model, input } = body();
	const first = await create('k1', { model, input });
	const reordered = await create('k1', { input, model } as ReturnType<typeof body>);
	expect(reordered.json.id).toBe(first.json.id);
	await create(undefined);
	await create(undefined);
	expect(sb.jobs.list('syncso')).toHaveLength(3);
});

test.each([
	['empty', ''],
	['129 characters', 'k'.repeat(129)],
	['a character outside [A-Za-z0-9._~-]', 'order/42'],
	['a space', 'order 42'],
])('a %s key is refused 400 INVALID_IDEMPOTENCY_KEY and makes nothing', async (_what, key) => {
	const res = await create(key);
	expect(res.status).toBe(400);
	expect(res.json).toMatchObject({ statusCode: 400, errorCode: 'INVALID_IDEMPOTENCY_KEY' });
	expect(sb.jobs.list('syncso')).toHaveLength(0);
});

test('two Idempotency-Key headers are refused 400 INVALID_IDEMPOTENCY_KEY', async () => {
	const headers = new Headers({ 'x-api-key': sb.keys.syncso, 'content-type': 'application/json' });
	headers.append('Idempotency-Key', 'a');
	headers.append('Idempotency-Key', 'b');
	const res = await fetch(`${sb.baseUrl('syncso')}/v2/generate`, { method: 'POST', headers, body: JSON.stringify(body()) });
	expect(res.status).toBe(400);
	expect(((await res.json()) as { errorCode: string }).errorCode).toBe('INVALID_IDEMPOTENCY_KEY');
});

test('a known key with other inputs is refused (ASSUMPTION: 422 IDEMPOTENCY_KEY_REUSED) and makes nothing', async () => {
	await create('k2');
	const other = await create('k2', body('https://cdn.example.test/other.mp3'));
	expect(other.status).toBe(422);
	expect(other.json.errorCode).toBe('IDEMPOTENCY_KEY_REUSED');
	expect(sb.jobs.list('syncso')).toHaveLength(1);
});

test('keys are scoped to the organization: the same key under another organization makes its own generation', async () => {
	const mine = await create('k3');
	const theirs = await create('k3', body(), 'sandbox-syncso-other-org');
	expect(theirs.json.id).not.toBe(mine.json.id);
	expect(generationsFor('k3')).toHaveLength(2);
});

test('a create whose answer is lost after the generation was made: the resend with the same key gets that generation', async () => {
	sb.setFault('syncso', { kind: 'serverError', httpStatus: 502, endpoint: 'create', createdFirst: true, times: 1 });
	const lost = await create('k4');
	expect(lost.status).toBe(502);
	const resent = await create('k4');
	expect(resent.status).toBe(201);
	expect(generationsFor('k4').map((job) => job.id)).toEqual([resent.json.id]);
});

test('the fault idempotencyOutcomeUnknown: 503 IDEMPOTENCY_OUTCOME_UNKNOWN, with createdFirst naming the generation it made', async () => {
	sb.setFault('syncso', { kind: 'idempotencyOutcomeUnknown', endpoint: 'create', times: 1 });
	const unknown = await create('k5');
	expect(unknown.status).toBe(503);
	expect(unknown.json).toMatchObject({ statusCode: 503, errorCode: 'IDEMPOTENCY_OUTCOME_UNKNOWN' });
	expect(unknown.json.generationId).toBeUndefined();
	expect(sb.jobs.list('syncso')).toHaveLength(0);

	sb.setFault('syncso', { kind: 'idempotencyOutcomeUnknown', endpoint: 'create', createdFirst: true, times: 1 });
	const named = await create('k6');
	expect(named.status).toBe(503);
	expect(generationsFor('k6').map((job) => job.id)).toEqual([named.json.generationId]);
	const status = await call(sb, 'syncso', `/v2/generate/${named.json.generationId}`);
	expect(status.status).toBe(200);
});

test('an unkeyed create never meets idempotencyOutcomeUnknown', async () => {
	sb.setFault('syncso', { kind: 'idempotencyOutcomeUnknown', endpoint: 'create', times: 1 });
	expect((await create(undefined)).status).toBe(201);
});
