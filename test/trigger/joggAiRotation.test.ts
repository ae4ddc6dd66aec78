/**
 * Secret rotation of the JoggAI endpoint, against the sandbox over real HTTP: when a repair hands
 * back another secret, deliveries JoggAI signed with the old secret are still accepted for
 * PREVIOUS_SECRET_GRACE_MS, and refused after; when the user deleted the endpoint in JoggAI's
 * dashboard (a revocation), the re-created endpoint's new secret is the only one accepted.
 */
import { PREVIOUS_SECRET_GRACE_MS } from '../../nodes/JoggAi/joggAi.triggerSecurity';
import { signJoggAiBody, startSandbox } from '../sandbox';
import { TriggerUnderTest } from './triggerHarness';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const EVENT = 'generated_avatar_video_success';
let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ webhookRetries: 0 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.reset());
afterEach(() => jest.restoreAllMocks());

const trigger = (staticData?: object) =>
	new TriggerUnderTest({
		parameters: { vendor: 'joggai', events: [EVENT] },
		joggAi: { apiKey: sb.keys.joggai, baseUrl: sb.baseUrl('joggai') },
		staticData: staticData as never,
		workflowId: 'wf-rotation',
	});

let eventCount = 0;
/** A delivery as JoggAI makes it, stamped by the (possibly mocked) clock, signed with `secret`. */
function delivery(secret: string) {
	const body = JSON.stringify({
		event_id: `evt_rotation_${++eventCount}`,
		event: EVENT,
		timestamp: Math.floor(Date.now() / 1000),
		data: { video_id: 'v1', video_url: 'https://cdn.example.test/v1.mp4' },
	});
	return { body, headers: { 'x-webhook-signature': signJoggAiBody(secret, body) } };
}

/** Activation once, then the endpoint deleted in JoggAI's dashboard and the workflow activated again. */
async function recreatedEndpoint() {
	const first = trigger();
	await first.activate();
	const [old] = sb.joggai.endpoints();
	sb.joggai.endpoints().splice(0, 1);
	const second = trigger(first.savedStaticData());
	await second.activate();
	const [current] = sb.joggai.endpoints();
	expect(current.endpoint_id).not.toBe(old.endpoint_id);
	expect(current.secret).not.toBe(old.secret);
	return { oldSecret: old.secret, newSecret: current.secret, saved: second.savedStaticData() };
}

/** Activation once, then JoggAI hands back another secret when activation repairs a drifted endpoint. */
async function repairedEndpoint() {
	const first = trigger();
	await first.activate();
	const [endpoint] = sb.joggai.endpoints();
	const oldSecret = endpoint.secret;
	// Drift (disabled in the dashboard) and another secret in JoggAI's answer to the repair.
	endpoint.status = 'disabled';
	endpoint.secret = 'whsec_rolled_by_joggai_0123';
	const repaired = trigger(first.savedStaticData());
	await repaired.activate();
	return { oldSecret, newSecret: endpoint.secret, saved: repaired.savedStaticData() };
}

describe('JoggAI secret rotation', () => {
	it('after the user deleted the endpoint in JoggAI\'s dashboard and activation re-created it, the old secret is refused at once', async () => {
		const { oldSecret, newSecret, saved } = await recreatedEndpoint();
		expect(saved).toEqual({ joggAiEndpointId: expect.any(String), joggAiSecret: newSecret });
		const old = await trigger(saved).receive(delivery(oldSecret));
		expect([old.statusCode, old.items]).toEqual([401, undefined]);
		const current = await trigger(saved).receive(delivery(newSecret));
		expect([current.statusCode, current.items?.length]).toEqual([200, 1]);
	});

	it('after a repair handed back another secret, the old one is accepted until its expiry and refused after', async () => {
		const activatedAt = Date.now();
		const { oldSecret, newSecret, saved } = await repairedEndpoint();
		expect(saved).toMatchObject({ joggAiSecret: newSecret, joggAiPreviousSecret: oldSecret });
		expect(sb.log.count({ vendor: 'joggai', endpoint: 'endpoint-update' })).toBe(1);
		const expiresAt = saved.joggAiPreviousSecretExpiresAt as number;
		expect(expiresAt - activatedAt).toBeGreaterThanOrEqual(PREVIOUS_SECRET_GRACE_MS);
		expect(expiresAt - Date.now()).toBeLessThanOrEqual(PREVIOUS_SECRET_GRACE_MS);

		const beforeExpiry = await trigger(saved).receive(delivery(oldSecret));
		expect([beforeExpiry.statusCode, beforeExpiry.items?.length]).toEqual([200, 1]);

		jest.spyOn(Date, 'now').mockReturnValue(expiresAt - 1000);
		expect((await trigger(saved).receive(delivery(oldSecret))).statusCode).toBe(200);

		jest.spyOn(Date, 'now').mockReturnValue(expiresAt + 1000);
		const afterExpiry = await trigger(saved).receive(delivery(oldSecret));
		expect(afterExpiry.statusCode).toBe(401);
		expect(afterExpiry.items).toBeUndefined();
		const current = await trigger(saved).receive(delivery(newSecret));
		expect([current.statusCode, current.items?.length]).toEqual([200, 1]);
	});

	it('a sandbox delivery signed with the replaced secret reaches the trigger over HTTP and starts the workflow during the grace period', async () => {
		const { oldSecret, saved } = await repairedEndpoint();
		const t = trigger(saved);
		const server = await t.listen();
		try {
			const [record] = await sb.joggai.deliverEvent({ url: `${server.url}/webhook/x/callback`, secret: oldSecret, event: EVENT, data: { video_id: 'v2' } });
			expect(record.statusCode).toBe(200);
			expect(server.started).toHaveLength(1);
		} finally {
			await server.close();
		}
	});

	it('an expired previous secret is dropped at the next activation, and deactivation forgets both', async () => {
		const { saved } = await repairedEndpoint();
		jest.spyOn(Date, 'now').mockReturnValue((saved.joggAiPreviousSecretExpiresAt as number) + 1);
		const later = trigger(saved);
		expect(await later.checkExists()).toBe(true);
		expect(later.staticData.joggAiPreviousSecret).toBeUndefined();
		jest.restoreAllMocks();

		const { saved: again } = await repairedEndpoint();
		const t = trigger(again);
		expect(await t.delete()).toBe(true);
		expect(t.staticData).toEqual({});
	});
});
