/** The fake vendors fetch their input files: what they fetched, its sha256, and what a bad file does to the job. */
import { createHash } from 'node:crypto';

import { FACE_IMAGE, FIXTURE, speechWav, startSandbox, type Sandbox } from './index';
import { call, pollUntil } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 100, jitterMs: 0 });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function vozoJob(body: Record<string, unknown>) {
	const created = await call(sb, 'vozo', '/v1/video_generation', { body: { model: 'standard_v1', reference_file_type: 'video', ...body } });
	expect(created.status).toBe(200);
	const id = (created.json as { task_id: string }).task_id;
	const { last } = await pollUntil(() => call(sb, 'vozo', `/v1/video_generation/${id}`), (res) => String((res.json as { status: string }).status), ['done', 'failed']);
	return { id, status: last.json as { status: string; err_code?: string }, job: sb.jobs.get('vozo', id)! };
}

describe('input files', () => {
	it('Vozo fetches loopback input files and records their sha256, size and format; the job succeeds', async () => {
		const { status, job } = await vozoJob({ reference_file_url: `${sb.url}/files/video.mp4`, audio_url: `${sb.url}/files/speech.wav?bytes=3000` });
		expect(status.status).toBe('done');
		const byField = Object.fromEntries(job.inputFiles!.map((file) => [file.field, file]));
		expect(byField.audio_url).toMatchObject({ fetched: true, statusCode: 200, bytes: 3000, sha256: sha256(speechWav(3000)), format: 'wav', kind: 'audio', usable: true });
		expect(byField.reference_file_url).toMatchObject({ fetched: true, bytes: FIXTURE.length, sha256: sha256(FIXTURE), kind: 'video', usable: true });
	});

	it('a non-loopback URL is never fetched: recorded as not fetched, and the job still succeeds', async () => {
		const { status, job } = await vozoJob({ reference_file_url: 'https://cdn.example.test/face.mp4', audio_url: 'https://cdn.example.test/voice.mp3' });
		expect(status.status).toBe('done');
		expect(job.inputFiles!.map((file) => [file.field, file.fetched, file.note])).toEqual([
			['reference_file_url', false, 'not fetched: not a loopback URL'],
			['audio_url', false, 'not fetched: not a loopback URL'],
		]);
		expect(sb.log.count({ endpoint: 'download' })).toBe(0);
	});

	it('an audio field whose file is a video by its bytes fails the Vozo job with 999 (download failed)', async () => {
		const { status, job } = await vozoJob({ reference_file_url: `${sb.url}/files/video.mp4`, audio_url: `${sb.url}/files/video.mp4?size=${FIXTURE.length}` });
		expect(status).toMatchObject({ status: 'failed', err_code: '999' });
		expect(job.inputFiles!.find((file) => file.field === 'audio_url')).toMatchObject({ fetched: true, kind: 'video', usable: false });
	});

	it("an image sent as Vozo's reference type image passes; the same image sent as type video fails the job", async () => {
		const asImage = await vozoJob({ reference_file_type: 'image', reference_file_url: `${sb.url}/files/face.jpg`, audio_url: `${sb.url}/files/speech.wav` });
		expect(asImage.status.status).toBe('done');
		expect(asImage.job.inputFiles![0]).toMatchObject({ sha256: sha256(FACE_IMAGE), format: 'jpeg', usable: true });
		const asVideo = await vozoJob({ reference_file_url: `${sb.url}/files/face.jpg`, audio_url: `${sb.url}/files/speech.wav` });
		expect(asVideo.status).toMatchObject({ status: 'failed', err_code: '999' });
	});

	it('a public-looking host mapped by webhookHostRewrite is fetched from the local address it maps to', async () => {
		sb.setOptions({ webhookHostRewrite: { 'https://lipsync-demo.example.test': sb.url } });
		const { status, job } = await vozoJob({ reference_file_url: `${sb.url}/files/video.mp4`, audio_url: 'https://lipsync-demo.example.test/files/speech.wav' });
		expect(status.status).toBe('done');
		expect(job.inputFiles![1]).toMatchObject({ url: 'https://lipsync-demo.example.test/files/speech.wav', targetUrl: `${sb.url}/files/speech.wav`, fetched: true, sha256: sha256(speechWav()) });
	});

	it('a job does not end before its files are fetched, however short the job (inputFetchDelayMs models the queue)', async () => {
		sb.setOptions({ inputFetchDelayMs: 300, jobDurationMs: 20 });
		const { status, job } = await vozoJob({ reference_file_url: `${sb.url}/files/video.mp4`, audio_url: `${sb.url}/files/speech.wav` });
		expect(status.status).toBe('done');
		for (const file of job.inputFiles!) expect(job.completedAt!).toBeGreaterThanOrEqual(file.fetchedAt!);
	});

	it("Personate's job fails when a link answers an error (HTTP 400), recording the answer; Modellix fetches all three Vidu inputs", async () => {
		const missing = `${sb.url}/files/speech.wav?bytes=odd`;
		const personate = await call(sb, 'personate', '/api/express_lipsync_video', {
			body: { model: 'v2', actor: { use: 'video', video_url: `${sb.url}/files/video.mp4` }, script: { use: 'audio', audio_url: missing } },
		});
		const personateId = (personate.json as { job_id: string }).job_id;
		await pollUntil(() => call(sb, 'personate', `/api/express_lipsync_video/${personateId}`), (res) => String((res.json as { status: string }).status), ['completed', 'failed']);
		const personateJob = sb.jobs.get('personate', personateId)!;
		expect(personateJob.phase).toBe('failed');
		expect(personateJob.inputFiles![1]).toMatchObject({ field: 'script.audio_url', statusCode: 400, usable: false });

		const modellix = await call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', {
			body: { video_url: `${sb.url}/files/video.mp4`, audio_url: `${sb.url}/files/speech.wav`, reference_face_image_url: `${sb.url}/files/face.jpg` },
		});
		const modellixId = (modellix.json as { data: { task_id: string } }).data.task_id;
		await pollUntil(() => call(sb, 'modellix', `/api/v1/tasks/${modellixId}`), (res) => String((res.json as { data: { status: string } }).data.status), ['success', 'failed']);
		const modellixJob = sb.jobs.get('modellix', modellixId)!;
		expect(modellixJob.phase).toBe('succeeded');
		expect(modellixJob.inputFiles!.map((file) => [file.field, file.kind, file.usable])).toEqual([
			['video_url', 'video', true],
			['audio_url', 'audio', true],
			['reference_face_image_url', 'image', true],
		]);
	});
});
