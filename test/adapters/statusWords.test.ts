/**
 * Each adapter hands the engine the vendor's own status word, untouched, read from real sandbox
 * answers: the engine tells "success, no URL yet" from "still running" by that word.
 */
import { VENDOR_MODULES } from '../../nodes/registry';
import { startSandbox, VENDORS, type Sandbox, type Vendor } from '../sandbox';
import { call } from '../sandbox/testHelpers';

const VIDEO = 'https://cdn.example.test/face.mp4';
const AUDIO = 'https://cdn.example.test/voice.mp3';

/** A documented create request of each vendor, and the word its status answer uses for success. */
const CREATES: Record<Vendor, { createPath: string; body: object; successWord: string }> = {
	vozo: {
		createPath: '/v1/video_generation',
		body: { reference_file_url: VIDEO, audio_url: AUDIO, model: 'standard_v1', reference_file_type: 'video' },
		successWord: 'Done',
	},
	joggai: { createPath: '/v2/create_lip_sync_video', body: { video_url: VIDEO, audio_url: AUDIO }, successWord: 'SUCCESS' },
	syncso: {
		createPath: '/v2/generate',
		body: { model: 'lipsync-2', input: [{ type: 'video', url: VIDEO }, { type: 'audio', url: AUDIO }] },
		successWord: 'COMPLETED',
	},
	modellix: { createPath: '/api/v1/vidu/lip-sync/async', body: { video_url: VIDEO, audio_url: AUDIO }, successWord: 'Success' },
	personate: {
		createPath: '/api/express_lipsync_video',
		body: { model: 'v2', actor: { use: 'video', video_url: VIDEO }, script: { use: 'audio', audio_url: AUDIO } },
		successWord: 'Completed',
	},
};
const vendors = VENDORS.map((vendor) => ({
	vendor,
	adapter: VENDOR_MODULES.find((module) => module.adapter.provider === vendor)!.adapter,
	...CREATES[vendor],
}));

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 60_000, jitterMs: 0 });
});
afterAll(async () => await sb.close());
afterEach(() => sb.reset());

describe.each(vendors)('$vendor', ({ vendor, adapter, createPath, body, successWord }) => {
	it('passes a success word without a result URL through unchanged', async () => {
		const created = await call(sb, vendor, createPath, { body });
		const { jobId } = adapter.parseCreated(created.json);
		sb.setFault(vendor, { kind: 'unknownStatus', status: successWord, times: 1 });
		// A status URL the create answer handed out (Modellix's get_result.url) is on the sandbox too.
		const { path } = adapter.statusRequest(jobId);
		const answer = await call(sb, vendor, path.startsWith(sb.baseUrl(vendor)) ? path.slice(sb.baseUrl(vendor).length) : path);
		const job = adapter.parseStatus(jobId, answer.json);
		expect(job.providerStatus).toBe(successWord);
		expect(job.videoUrl).toBeUndefined();
	});
});
