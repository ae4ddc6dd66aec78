/**
 * The wait limit stops new work, not work in flight: a paid create sent just before the deadline
 * keeps the full request timeout (cutting it off would lose the id of a job the vendor made), and
 * no create starts once the deadline has passed. Real HTTP to the sandbox through n8n-core's
 * helper; the engine's clock is virtual and stands still while a request is on the wire. The
 * timeout the engine hands n8n's helper is what n8n aborts the request by, so the tests read it
 * there instead of waiting for a slow answer in real time.
 */
import type { VendorAdapter } from '../../nodes/shared/adapter';
import { VendorFailure } from '../../nodes/shared/errors';
import { defaultRetryPolicy, openSession, vendorRequest, type VendorContext } from '../../nodes/shared/transport';
import { readCreated } from '../../nodes/shared/operations/vendorCalls';
import { modellixAdapter } from '../../nodes/Modellix/modellix.adapter';
import { vendorContext } from '../harness/vendorContext';
import { VENDOR_SETUP } from '../nodes/nodeKit';
import { startSandbox, type Sandbox } from '../sandbox';
import { FakeClock } from './fakes';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 60_000, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

/** An engine session on a virtual clock that holds still while each request is on the wire; `timeouts` gets each request's timeout. */
async function session(adapter: VendorAdapter, clock: FakeClock, timeouts: number[] = []): Promise<VendorContext> {
	const setup = VENDOR_SETUP.modellix;
	const ctx = await vendorContext({
		nodeType: setup.node(),
		credentialType: setup.credentialType(),
		credentials: { apiKey: sb.keys.modellix, baseUrl: sb.baseUrl('modellix') },
	});
	const send = ctx.helpers.httpRequest;
	ctx.helpers.httpRequest = async (...args: Parameters<typeof send>) => {
		timeouts.push(Number(args[0].timeout));
		return await clock.during(async () => await send.apply(ctx.helpers, args));
	};
	await openSession(ctx, adapter, { clock, retry: { ...defaultRetryPolicy, random: () => 0.5 }, requestTimeoutMs: 20_000 });
	return ctx;
}

const createRequest = () => {
	const { outputExtras: _extras, ...request } = modellixAdapter.createRequest(
		{ modelSlug: 'vidu/lip-sync', body: { video_url: 'https://cdn.example.test/face.mp4', audio_url: 'https://cdn.example.test/voice-0.mp3' } },
		'idempotency-key',
	);
	return request;
};

describe('paid creates and the wait limit', () => {
	it('a create sent 1 ms before the wait limit keeps the full 20 s request timeout and yields the job id; a status call then gets the 3 s grace', async () => {
		const clock = new FakeClock();
		const timeouts: number[] = [];
		const ctx = await session(modellixAdapter, clock, timeouts);
		const body = await vendorRequest(ctx, modellixAdapter, createRequest(), { retry: false, paidCreate: true, deadline: clock.now() + 1 });
		const { jobId } = readCreated(ctx, modellixAdapter, body);
		expect(sb.jobs.list('modellix').map((job) => job.id)).toEqual([jobId]);
		await vendorRequest(ctx, modellixAdapter, modellixAdapter.statusRequest(jobId), { retry: true, deadline: clock.now() + 1 });
		expect(timeouts).toEqual([20_000, 3_001]);
	});

	it('starts no create once the wait limit has passed: the request is never sent', async () => {
		const clock = new FakeClock();
		const ctx = await session(modellixAdapter, clock);
		let failure: unknown;
		try {
			await vendorRequest(ctx, modellixAdapter, createRequest(), { retry: false, paidCreate: true, deadline: clock.now() });
		} catch (error) {
			failure = error;
		}
		expect(failure).toBeInstanceOf(VendorFailure);
		expect((failure as VendorFailure).facts.kind).toBe('deadline');
		expect(sb.log.entries({ vendor: 'modellix' })).toHaveLength(0);
		expect(sb.jobs.list('modellix')).toHaveLength(0);
	});
});
