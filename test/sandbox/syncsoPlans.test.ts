/** sync.so's plan concurrency in the sandbox (vendors/syncsoPlans.ts): a valid create past the key's plan is refused 429. */
import { startSandbox, type Sandbox } from './index';
import { call } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 60_000, jitterMs: 0 });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const generation = (i: number) => ({
	model: 'lipsync-2',
	input: [
		{ type: 'video', url: 'https://cdn.example.test/face.mp4' },
		{ type: 'audio', url: `https://cdn.example.test/voice-${i}.mp3` },
	],
});
const create = (i: number, key?: string) => call(sb, 'syncso', '/v2/generate', { body: generation(i), key });

test('Creator plan: the 4th generation while 3 are PENDING or PROCESSING is refused 429 concurrency_limit_reached, nothing created; the next after one ends is accepted', async () => {
	sb.setOptions({ syncsoPlan: 'creator' });
	const ids: string[] = [];
	for (let i = 0; i < 3; i++) {
		const res = await create(i);
		expect(res.status).toBe(201);
		ids.push(res.json.id);
	}
	const refused = await create(3);
	expect(refused.status).toBe(429);
	expect(refused.json).toEqual({
		statusCode: 429,
		message: expect.any(String),
		error: 'Too Many Requests',
		errorCode: 'concurrency_limit_reached',
	});
	expect(sb.jobs.stats('syncso')).toMatchObject({ created: 3, active: 3, maxActive: 3 });
	sb.jobs.finish('syncso', ids[0]);
	expect((await create(4)).status).toBe(201);
});

test('the plan is per key: a key on Hobbyist gets 1, another key on the default Scale plan 15; a number is an Enterprise limit', async () => {
	sb.setOptions({ extraKeys: { syncso: ['hobby-key', 'enterprise-key'] }, syncsoKeyPlans: { 'hobby-key': 'hobbyist', 'enterprise-key': 2 } });
	expect((await create(0, 'hobby-key')).status).toBe(201);
	expect((await create(1, 'hobby-key')).status).toBe(429);
	for (let i = 0; i < 15; i++) expect((await create(i)).status).toBe(201);
	expect((await create(15)).status).toBe(429);
	expect((await create(0, 'enterprise-key')).status).toBe(201);
	expect((await create(1, 'enterprise-key')).status).toBe(201);
	expect((await create(2, 'enterprise-key')).status).toBe(429);
});

test('an invalid create is refused for its input first, even on a full account', async () => {
	sb.setOptions({ syncsoPlan: 'hobbyist' });
	expect((await create(0)).status).toBe(201);
	const invalid = await call(sb, 'syncso', '/v2/generate', { body: { model: 'lipsync-2', input: [] } });
	expect(invalid.status).toBe(400);
});
