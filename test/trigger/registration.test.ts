/**
 * The JoggAI endpoint registration lifecycle, against the sandbox over real HTTP: n8n's
 * activation (checkExists → create), reuse, drift repair, re-creation, delete, and the refusal
 * of URLs JoggAI cannot reach. Ends with a signed delivery from the sandbox to the registered URL.
 */
import { NodeApiError } from 'n8n-workflow';

import { useQuickRetries } from '../harness';
import { JOGGAI_EVENTS, startSandbox } from '../sandbox';
import { PUBLIC_WEBHOOK_BASE, TriggerUnderTest } from './triggerHarness';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SUCCESS = 'generated_lip_sync_video_success';
const FAILED = 'generated_lip_sync_video_failed';
const AVATAR = 'generated_avatar_video_success';

useQuickRetries();
let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ webhookRetryDelayMs: 50, webhookTimeoutMs: 2000 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());

const credentials = () => ({ apiKey: sb.keys.joggai, baseUrl: sb.baseUrl('joggai') });

const trigger = (overrides: { events?: string[]; webhookBaseUrl?: string; staticData?: object; apiKey?: string } = {}) =>
	new TriggerUnderTest({
		parameters: { vendor: 'joggai', events: overrides.events ?? [SUCCESS, FAILED] },
		joggAi: { ...credentials(), ...(overrides.apiKey ? { apiKey: overrides.apiKey } : {}) },
		webhookBaseUrl: overrides.webhookBaseUrl,
		staticData: overrides.staticData as never,
	});

/** A call to the sandbox's JoggAI API as the account owner would make it (dashboard edits). */
async function joggAi(method: string, path: string, body?: object) {
	const response = await fetch(`${sb.baseUrl('joggai')}${path}`, {
		method,
		headers: { 'x-api-key': sb.keys.joggai, 'content-type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	return (await response.json()) as { code: number; data: Record<string, unknown> };
}

const calls = (endpoint: string) => sb.log.count({ vendor: 'joggai', endpoint });

describe('JoggAI endpoint registration', () => {
	it('creates the endpoint on first activation and keeps its id and secret', async () => {
		const t = trigger();
		await t.activate();

		const endpoints = sb.joggai.endpoints();
		expect(endpoints).toHaveLength(1);
		expect(endpoints[0]).toMatchObject({
			url: `${PUBLIC_WEBHOOK_BASE}/b3f4c1d2-0000-4000-8000-00000000abcd/callback`,
			status: 'enabled',
			events: [FAILED, SUCCESS],
		});
		expect(t.webhookUrl).toBe(endpoints[0].url);
		expect(t.staticData).toMatchObject({
			joggAiEndpointId: endpoints[0].endpoint_id,
			joggAiSecret: endpoints[0].secret,
		});
		expect(t.staticDataChanged).toBe(true);
		expect(calls('endpoint-create')).toBe(1);
		const [create] = sb.log.entries({ vendor: 'joggai', endpoint: 'endpoint-create' });
		expect(create.requestBody).toEqual({ url: endpoints[0].url, status: 'enabled', events: [FAILED, SUCCESS] });
	});

	it('reuses a registration that still matches (restart with saved static data)', async () => {
		const first = trigger();
		await first.activate();
		const [endpoint] = sb.joggai.endpoints();
		sb.log.clear();

		const restarted = trigger({ staticData: first.savedStaticData() });
		expect(await restarted.checkExists()).toBe(true);
		expect(calls('endpoint-create') + calls('endpoint-update') + calls('endpoint-delete')).toBe(0);
		expect(sb.joggai.endpoints()).toEqual([endpoint]);
		expect(restarted.staticData.joggAiEndpointId).toBe(endpoint.endpoint_id);
	});

	it('repairs an endpoint disabled and edited in the dashboard (PUT, same id and secret)', async () => {
		const first = trigger();
		await first.activate();
		const [endpoint] = sb.joggai.endpoints();
		const edited = await joggAi('PUT', `/v2/endpoint/${endpoint.endpoint_id}`, { status: 'disabled', events: [AVATAR] });
		expect(edited.code).toBe(0);
		sb.log.clear();

		const restarted = trigger({ staticData: first.savedStaticData() });
		await restarted.activate();
		expect(calls('endpoint-update')).toBe(1);
		expect(calls('endpoint-create')).toBe(0);
		expect(sb.joggai.endpoints()).toEqual([
			expect.objectContaining({ endpoint_id: endpoint.endpoint_id, status: 'enabled', events: [FAILED, SUCCESS] }),
		]);
		expect(restarted.staticData.joggAiSecret).toBe(endpoint.secret);
	});

	it('repairs the events when the node\'s event selection changed', async () => {
		const first = trigger({ events: [SUCCESS] });
		await first.activate();
		sb.log.clear();

		const edited = trigger({ events: [SUCCESS, AVATAR], staticData: first.savedStaticData() });
		await edited.activate();
		expect(calls('endpoint-update')).toBe(1);
		expect(sb.joggai.endpoints()).toEqual([expect.objectContaining({ events: [AVATAR, SUCCESS] })]);
	});

	it('moves the endpoint when WEBHOOK_URL changed', async () => {
		const first = trigger();
		await first.activate();
		const moved = trigger({ webhookBaseUrl: 'https://automation.example.test/webhook', staticData: first.savedStaticData() });
		await moved.activate();
		const endpoints = sb.joggai.endpoints();
		expect(endpoints).toHaveLength(1);
		expect(endpoints[0].url).toMatch(/^https:\/\/automation\.example\.test\/webhook\//);
		expect(endpoints[0].endpoint_id).toBe(first.staticData.joggAiEndpointId);
	});

	it('creates a new endpoint when the stored one was deleted at JoggAI', async () => {
		const first = trigger();
		await first.activate();
		const [gone] = sb.joggai.endpoints();
		expect((await joggAi('DELETE', `/v2/endpoint/${gone.endpoint_id}`)).code).toBe(0);
		sb.log.clear();

		const restarted = trigger({ staticData: first.savedStaticData() });
		expect(await restarted.checkExists()).toBe(false);
		expect(restarted.staticData.joggAiEndpointId).toBeUndefined();
		await restarted.create();
		const endpoints = sb.joggai.endpoints();
		expect(endpoints).toHaveLength(1);
		expect(endpoints[0].endpoint_id).not.toBe(gone.endpoint_id);
		expect(restarted.staticData).toMatchObject({
			joggAiEndpointId: endpoints[0].endpoint_id,
			joggAiSecret: endpoints[0].secret,
		});
	});

	it('adopts its own URL\'s endpoint when static data was lost, and removes duplicates for that URL', async () => {
		const first = trigger();
		await first.activate();
		const [kept] = sb.joggai.endpoints();
		// A second registration of the same URL (e.g. an activation whose static data was never saved).
		expect((await joggAi('POST', '/v2/endpoint', { url: kept.url, status: 'enabled', events: [SUCCESS] })).code).toBe(0);
		expect(sb.joggai.endpoints()).toHaveLength(2);

		const fresh = trigger();
		await fresh.activate();
		expect(calls('endpoint-create')).toBe(2); // the first activation's and ours above; none by `fresh`
		expect(sb.joggai.endpoints()).toEqual([expect.objectContaining({ endpoint_id: kept.endpoint_id })]);
		expect(fresh.staticData).toMatchObject({ joggAiEndpointId: kept.endpoint_id, joggAiSecret: kept.secret });
	});

	it('deletes the endpoint on deactivation and forgets it', async () => {
		const t = trigger();
		await t.activate();
		expect(sb.joggai.endpoints()).toHaveLength(1);

		expect(await t.delete()).toBe(true);
		expect(sb.joggai.endpoints()).toHaveLength(0);
		expect(t.staticData.joggAiEndpointId).toBeUndefined();
		expect(t.staticData.joggAiSecret).toBeUndefined();

		sb.log.clear();
		expect(await t.delete()).toBe(true); // nothing stored: no call
		expect(sb.log.entries({ vendor: 'joggai' })).toHaveLength(0);
	});

	it('treats an endpoint already deleted at JoggAI (10104) as deleted', async () => {
		const t = trigger();
		await t.activate();
		const [endpoint] = sb.joggai.endpoints();
		await joggAi('DELETE', `/v2/endpoint/${endpoint.endpoint_id}`);

		expect(await t.delete()).toBe(true);
		expect(t.staticData.joggAiEndpointId).toBeUndefined();
		const [entry] = sb.log.entries({ vendor: 'joggai', endpoint: 'endpoint-delete' }).slice(-1);
		expect(entry.responseBody).toMatchObject({ code: 10104 });
	});

	it('keeps the id when JoggAI cannot be reached at deactivation, so the next activation finds it', async () => {
		const t = trigger();
		await t.activate();
		const id = t.staticData.joggAiEndpointId;
		sb.setFault('joggai', { kind: 'serverError', httpStatus: 503 });
		expect(await t.delete()).toBe(false);
		expect(t.staticData.joggAiEndpointId).toBe(id);
		sb.setFault('joggai', null);

		await t.activate();
		expect(sb.joggai.endpoints()).toEqual([expect.objectContaining({ endpoint_id: id })]);
	});

	it.each([
		['localhost', 'http://localhost:5678/webhook', /loopback/],
		['localhost over https', 'https://localhost/webhook', /loopback/],
		['a loopback IP', 'https://127.0.0.1:5678/webhook', /loopback/],
		['IPv6 loopback', 'https://[::1]:5678/webhook', /loopback/],
		['a private network address', 'https://192.168.1.20/webhook', /private network/],
		['a .local name', 'https://n8n.local/webhook', /local network name/],
		['plain http', 'http://n8n.example.test/webhook', /https/],
	])('refuses to register %s, before calling JoggAI', async (_label, webhookBaseUrl, reason) => {
		const t = trigger({ webhookBaseUrl });
		const activation = t.activate();
		await expect(activation).rejects.toThrow(/JoggAI needs a public https URL/);
		await expect(activation).rejects.toThrow(reason);
		await expect(activation).rejects.toMatchObject({
			name: 'NodeOperationError',
			description: expect.stringMatching(/WEBHOOK_URL/),
		});
		await expect(t.create()).rejects.toThrow(/public https URL/);
		expect(sb.log.entries({ vendor: 'joggai' })).toHaveLength(0);
		expect(sb.joggai.endpoints()).toHaveLength(0);
	});

	it('reports a JoggAI error envelope through the engine: hint, JoggAI\'s words, code and request id', async () => {
		const activation = trigger({ apiKey: 'not-a-key' }).activate();
		await expect(activation).rejects.toThrow(
			/^JoggAI: The JoggAI API key is invalid\. .*credential\. \("invalid API key", code 10105, request [0-9a-f]+\)$/,
		);
		await expect(activation).rejects.toBeInstanceOf(NodeApiError);
		await expect(activation).rejects.toMatchObject({ facts: { kind: 'auth', code: 10105 } });
	});

	it('never puts the API key into an error', async () => {
		sb.setFault('joggai', { kind: 'serverError', httpStatus: 500 });
		const error = await trigger().activate().catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(sb.keys.joggai);
	});
});

describe('JoggAI events list', () => {
	it('offers the events JoggAI lists, sorted, with one request', async () => {
		const options = await trigger().loadEvents();
		expect(options.map((o) => o.value)).toEqual([...JOGGAI_EVENTS].sort());
		expect(sb.log.count({ vendor: 'joggai', endpoint: 'events' })).toBe(1);
	});
});

describe('JoggAI delivery to the registered endpoint', () => {
	it('verifies the sandbox\'s signed delivery and starts once despite a duplicate', async () => {
		const t = trigger();
		const server = await t.listen();
		try {
			sb.setOptions({ webhookHostRewrite: { 'https://n8n.example.test': server.url }, webhookAlwaysDuplicate: true });
			await t.activate();
			const records = await sb.joggai.deliverEvent({
				event: SUCCESS,
				data: { task_id: 'task_77', status: 'success', result_url: 'https://cdn.example.test/77.mp4' },
			});
			expect(records.length).toBeGreaterThanOrEqual(2);
			expect(records.every((record) => record.statusCode === 200)).toBe(true);
			expect(server.started).toHaveLength(1);
			expect(server.started[0]).toMatchObject({
				event: SUCCESS,
				job: { provider: 'joggai', jobId: 'task_77', status: 'succeeded', videoUrl: 'https://cdn.example.test/77.mp4' },
			});
		} finally {
			await server.close();
		}
	});

	it('rejects a delivery signed with a secret that is not the endpoint\'s', async () => {
		const t = trigger();
		const server = await t.listen();
		try {
			await t.activate();
			const [record] = await sb.joggai.deliverEvent({
				url: `${server.url}/webhook/x/callback`,
				secret: 'whsec_forged',
				event: SUCCESS,
				data: { task_id: 't', status: 'success', result_url: 'https://x.test/v.mp4' },
			});
			expect(record.statusCode).toBe(401);
			expect(server.started).toHaveLength(0);
		} finally {
			await server.close();
		}
	});
});
