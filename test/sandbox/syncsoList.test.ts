/** The sandbox's sync.so List Generations (`GET /v2/generations`, vendors/syncsoList.ts), over real HTTP. */
import { startSandbox, type Sandbox } from './index';
import { call } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 60_000, jitterMs: 0, extraKeys: { syncso: ['sandbox-syncso-other-org'] } });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const create = async (jobDurationMs: number, key?: string) => {
	sb.setOptions({ jobDurationMs });
	const body = { model: 'lipsync-2', input: [{ type: 'video', url: 'https://cdn.example.test/face.mp4' }, { type: 'audio', url: 'https://cdn.example.test/voice.mp3' }] };
	const created = await call(sb, 'syncso', '/v2/generate', { body, key });
	expect(created.status).toBe(201);
	return String(created.json.id);
};

async function completed(id: string): Promise<void> {
	for (let i = 0; i < 200; i++) {
		if ((await call(sb, 'syncso', `/v2/generate/${id}`)).json.status === 'COMPLETED') return;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	throw new Error(`${id} did not complete`);
}

const idsOf = (list: unknown) => (list as Array<{ id: string }>).map((generation) => generation.id).sort();

describe('sync.so GET /v2/generations', () => {
	test('ids: a bare array of exactly the named generations of this organization, each as GET /v2/generate/{id} answers it; an unknown id or another organization\'s is left out; logged as one status read', async () => {
		const running = await create(60_000);
		const done = await create(50);
		const others = await create(60_000, 'sandbox-syncso-other-org');
		await completed(done);
		await create(60_000); // not named
		sb.log.clear();
		const listed = await call(sb, 'syncso', `/v2/generations?ids=${[running, done, others, 'no-such-generation'].join(',')}`);
		expect(listed.status).toBe(200);
		expect(Array.isArray(listed.json)).toBe(true);
		expect(idsOf(listed.json)).toEqual([running, done].sort());
		for (const generation of listed.json as Array<{ id: string }>) {
			const single = (await call(sb, 'syncso', `/v2/generate/${generation.id}`)).json;
			// Each answer hands out a fresh result URL token.
			const withoutToken = (record: Record<string, unknown>) => ({ ...record, outputUrl: String(record.outputUrl).split('?token=')[0] });
			expect(withoutToken(generation as Record<string, unknown>)).toEqual(withoutToken(single as Record<string, unknown>));
		}
		expect(sb.log.entries({ vendor: 'syncso', endpoint: 'status' }).filter((entry) => entry.path.includes('/v2/generations?'))).toHaveLength(1);
	});

	test("with syncsoListUnknownIds 'refused': ids naming one unknown generation are refused 404 generation_not_found as a whole; ids all known are answered", async () => {
		sb.setOptions({ syncsoListUnknownIds: 'refused' });
		const running = await create(60_000);
		const refused = await call(sb, 'syncso', `/v2/generations?ids=${running},no-such-generation`);
		expect([refused.status, refused.json.errorCode]).toEqual([404, 'generation_not_found']);
		const listed = await call(sb, 'syncso', `/v2/generations?ids=${running}`);
		expect([listed.status, idsOf(listed.json)]).toEqual([200, [running]]);
	});

	test('status filters by the documented words; limit pages newest first and cursor continues after the named generation', async () => {
		const ids = [await create(60_000), await create(60_000), await create(60_000)];
		const done = await create(50);
		await completed(done);
		expect(idsOf((await call(sb, 'syncso', '/v2/generations?status=COMPLETED')).json)).toEqual([done]);
		expect(idsOf((await call(sb, 'syncso', '/v2/generations?status=PENDING,PROCESSING')).json)).toEqual([...ids].sort());
		const first = (await call(sb, 'syncso', '/v2/generations?limit=2')).json as Array<{ id: string }>;
		const second = (await call(sb, 'syncso', `/v2/generations?limit=2&cursor=${first[1].id}`)).json as Array<{ id: string }>;
		expect([...first, ...second].map((generation) => generation.id)).toEqual([done, ...[...ids].reverse()]);
	});

	test('a status word outside the five, a limit outside 1–100 and a cursor without limit are refused 400 with a validation errorCode', async () => {
		for (const query of ['status=DONE', 'limit=0', 'limit=101', 'limit=many', 'cursor=abc']) {
			const refused = await call(sb, 'syncso', `/v2/generations?${query}`);
			expect([query, refused.status, refused.json.errorCode]).toEqual([query, 400, 'generation_input_validation_failed']);
		}
	});
});
