/** The sandbox's sync.so held status read (`wait=true&timeout=<s>`, vendors/syncsoWait.ts), over real HTTP. */
import { startSandbox, type Sandbox } from './index';
import { call } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 300, jitterMs: 0 });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const create = async () => {
	const body = { model: 'lipsync-2', input: [{ type: 'video', url: 'https://cdn.example.test/face.mp4' }, { type: 'audio', url: 'https://cdn.example.test/voice.mp3' }] };
	const created = await call(sb, 'syncso', '/v2/generate', { body });
	expect(created.json).toMatchObject({ status: 'PENDING' });
	return String(created.json.id);
};

describe('sync.so GET /v2/generate/{id}?wait=true', () => {
	test('held until the generation ends: answered COMPLETED (a plain read at the same moment says it is still running), with the long-poll headers', async () => {
		// Long enough that the plain read comes before the end on a busy machine, well inside the hold.
		sb.setOptions({ jobDurationMs: 3_000 });
		const id = await create();
		expect(['PENDING', 'PROCESSING']).toContain((await call(sb, 'syncso', `/v2/generate/${id}`)).json.status);
		const held = await call(sb, 'syncso', `/v2/generate/${id}?wait=true&timeout=10`);
		expect(held.status).toBe(200);
		expect(held.json).toMatchObject({ id, status: 'COMPLETED', outputUrl: expect.any(String) });
		expect([held.headers.get('retry-after'), held.headers.get('x-sync-wait-mode'), held.headers.get('x-sync-wait-timeout-seconds')]).toEqual(['2', 'long_poll', '10']);
	});

	test('a hold that passes first answers 200 with the generation as it is (still running)', async () => {
		sb.setOptions({ jobDurationMs: 60_000 });
		const id = await create();
		const held = await call(sb, 'syncso', `/v2/generate/${id}?wait=true&timeout=1`);
		expect(held.status).toBe(200);
		expect(['PENDING', 'PROCESSING']).toContain(held.json.status);
		expect(held.headers.get('x-sync-wait-timeout-seconds')).toBe('1');
	});

	test('a timeout outside 1–10, or wait with include=progress, is refused 400 with a validation errorCode', async () => {
		const id = await create();
		for (const query of ['wait=true&timeout=0', 'wait=true&timeout=11', 'wait=true&timeout=soon', 'wait=true&include=progress']) {
			const refused = await call(sb, 'syncso', `/v2/generate/${id}?${query}`);
			expect([query, refused.status, refused.json.errorCode]).toEqual([query, 400, 'generation_input_validation_failed']);
		}
	});
});
