/**
 * Each vendor against the sandbox's variants (test/sandbox/variants.ts): where a vendor's documents
 * are silent, the sandbox answers the other way, and the node must still finish the job (a tolerant
 * reader) or finish it once the credential's path field names the moved path (a correctable guess).
 * A wrong guess of ours is then a red test here, not a paid job that fails at the user's.
 */
import { createServer } from 'node:http';
import type { IDataObject } from 'n8n-workflow';

import { PersonateApi } from '../../credentials/PersonateApi.credentials';
import { Personate } from '../../nodes/Personate/Personate.node';
import { personateListSearch } from '../../nodes/Personate/personate.lists';
import { useQuickRetries } from '../harness';
import { vendorContext } from '../harness/vendorContext';
import { VARIANT_PATHS } from '../sandbox/variants';
import { audioItems, FAILING_AUDIO, jsonOf, runVendor, type RunVendorOptions, useNodeSandbox, VENDOR_SETUP } from './nodeKit';
import { deliverCallback } from './resumeWebhookKit';

useQuickRetries();
const sb = useNodeSandbox();

const createAndWait = (extra: Partial<RunVendorOptions> = {}): RunVendorOptions => ({
	operation: 'createAndWait',
	inputItems: audioItems(1),
	options: { downloadVideo: true },
	...extra,
});

const errorMessageOf = (row: IDataObject): string => String(row.error ?? '');
/** What a row whose status checks kept failing says to the user (it has no `error`: the job was not failed). */
const lostTrackMessageOf = (row: IDataObject): string => String(row.message ?? '');

describe('Vozo variants', () => {
	it('vozoResultNested: a result under `result` (video, cover, times) is read, and the job succeeds with its video', async () => {
		sb.setOptions({ variants: { vozoResultNested: true } });
		const result = await runVendor(sb, 'vozo', createAndWait());
		const [row] = jsonOf(result);
		expect(row).toMatchObject({ status: 'succeeded', videoUrl: expect.stringContaining('/vozo/results/'), coverUrl: expect.stringContaining('/covers/') });
		expect(row.completedAt).toEqual(expect.any(String));
		expect(result.output?.[0][0].binary?.data).toBeDefined();
	});

	it('vozoResultNested: a failed job still explains itself with err_code (a string) and err_message', async () => {
		sb.setOptions({ variants: { vozoResultNested: true } });
		const [row] = jsonOf(await runVendor(sb, 'vozo', createAndWait({ inputItems: [{ json: { audio: FAILING_AUDIO } }] })));
		expect(row).toMatchObject({ status: 'failed', error: 'no face', errorCode: '20601' });
	});

	it('vozoResultNested: Wait By "Vendor Callback" resumes a parked run with the nested callback\'s job, confirmed by Vozo', async () => {
		sb.setOptions({ variants: { vozoResultNested: true } });
		const parameters = { waitBy: 'callback' };
		const options = { waitLimitMinutes: 5 };
		const parked = await runVendor(sb, 'vozo', { operation: 'createAndWait', parameters, options, inputItems: audioItems(1), instanceBaseUrl: 'https://n8n.example.test' });
		const jobId = String(parked.output![0][0].json.jobId);
		sb.jobs.finish('vozo', jobId, 'succeeded');
		const final = await deliverCallback({
			parked,
			parameters: { operation: 'createAndWait', ...VENDOR_SETUP.vozo.createParameters, ...parameters, options },
			credentials: { vozoApi: { apiKey: sb.keys.vozo, baseUrl: sb.baseUrl('vozo') } },
			body: { status: 'done', result: { video_url: 'https://cdn.vozo.example.test/untrusted.mp4' } },
		});
		expect(final.items?.[0].json).toMatchObject({ jobId, status: 'succeeded', videoUrl: expect.stringContaining(`/vozo/results/${jobId}.mp4`) });
	});

	it('vozoErrCodeNumber: a numeric err_code is read and explained like the string one', async () => {
		sb.setOptions({ variants: { vozoErrCodeNumber: true } });
		const [row] = jsonOf(await runVendor(sb, 'vozo', createAndWait({ inputItems: [{ json: { audio: FAILING_AUDIO } }] })));
		expect(row).toMatchObject({ status: 'failed', error: 'no face', errorCode: 20601 });
	});

	const reusable = { generationMode: 'reusableModel', modelId: 'model-7' };

	it('vozoReusableStatusMoved: with the credential\'s Reusable-Model Status Path set, the job is read there after the documented path\'s 404', async () => {
		sb.setOptions({ variants: { vozoReusableStatusMoved: true } });
		const result = await runVendor(sb, 'vozo', createAndWait({ parameters: reusable, credentialFields: { reusableModelStatusPath: VARIANT_PATHS.vozoReusableStatus } }));
		const [row] = jsonOf(result);
		const [job] = sb.jobs.list('vozo');
		expect(row).toMatchObject({ jobId: job.id, status: 'succeeded' });
		const paths = sb.log.entries({ vendor: 'vozo', endpoint: 'status' }).map((entry) => [entry.path.replace(job.id, '<id>'), entry.statusCode]);
		expect(paths).toContainEqual(['/vozo/v1/reusable_lipsync_model_video_generation/<id>', 200]);
	});

	it('vozoReusableStatusMoved: without that setting the row keeps its job id and says where to correct it', async () => {
		sb.setOptions({ variants: { vozoReusableStatusMoved: true } });
		const [row] = jsonOf(await runVendor(sb, 'vozo', createAndWait({ parameters: reusable })));
		expect(row.jobId).toBe(sb.jobs.list('vozo')[0].id);
		expect(row.status).toBe('processing');
		expect(row).toMatchObject({ statusCheckError: expect.any(String), statusCheckErrorCode: '404' });
		expect(lostTrackMessageOf(row)).toContain('"Reusable-Model Status Path"');
		expect(sb.log.count({ vendor: 'vozo', endpoint: 'create-reusable' })).toBe(1);
	});
});

describe('Personate variants', () => {
	it('personateStatusMoved: with the credential\'s Status Path set to the moved path, the job is read there and succeeds', async () => {
		sb.setOptions({ variants: { personateStatusMoved: true } });
		const result = await runVendor(sb, 'personate', createAndWait({ credentialFields: { statusPath: VARIANT_PATHS.personateStatus } }));
		const [row] = jsonOf(result);
		expect(row).toMatchObject({ status: 'succeeded', videoUrl: expect.stringContaining('/personate/results/') });
		const statusPaths = sb.log.entries({ vendor: 'personate', endpoint: 'status' }).map((entry) => entry.path);
		expect(statusPaths.every((path) => path.startsWith('/personate/api/express_lipsync_video/status/'))).toBe(true);
	});

	it('personateStatusMoved: left at the default path, the 404 keeps the job id and names the Status Path field', async () => {
		sb.setOptions({ variants: { personateStatusMoved: true } });
		const [row] = jsonOf(await runVendor(sb, 'personate', createAndWait()));
		expect(row).toMatchObject({ jobId: sb.jobs.list('personate')[0].id, status: 'processing' });
		expect(lostTrackMessageOf(row)).toContain('"Status Path"');
	});

	it('personateOtherSuccessWord: a record with an output URL is finished whatever its success word', async () => {
		sb.setOptions({ variants: { personateOtherSuccessWord: true } });
		const [row] = jsonOf(await runVendor(sb, 'personate', createAndWait()));
		expect(row).toMatchObject({ status: 'succeeded', providerStatus: 'delivered', videoUrl: expect.any(String) });
	});

	it('personateRecordWithoutJobId: a failed record without job_id is the job\'s failure, read once, not retried as Personate\'s trouble', async () => {
		sb.setOptions({ variants: { personateRecordWithoutJobId: true } });
		const [row] = jsonOf(await runVendor(sb, 'personate', createAndWait({ inputItems: [{ json: { audio: FAILING_AUDIO } }] })));
		expect(row).toMatchObject({ jobId: sb.jobs.list('personate')[0].id, status: 'failed', error: expect.stringContaining('render failed') });
		const failedAnswers = sb.log.entries({ vendor: 'personate', endpoint: 'status' }).filter((entry) => (entry.responseBody as IDataObject)?.status === 'failed');
		expect(failedAnswers).toHaveLength(1);
	});

	it('personateOutputObject: a video given as output {url} is read, and the job succeeds with its video', async () => {
		sb.setOptions({ variants: { personateOutputObject: true } });
		const result = await runVendor(sb, 'personate', createAndWait());
		expect(jsonOf(result)[0]).toMatchObject({ status: 'succeeded', videoUrl: expect.stringContaining('/personate/results/') });
		expect(result.output?.[0][0].binary?.data).toBeDefined();
	});

	it('personateListsUnderData: the avatar and voice lists are read from {data: [{id, name}]}', async () => {
		sb.setOptions({ variants: { personateListsUnderData: true } });
		const ctx = await vendorContext({
			nodeType: new Personate(),
			credentialType: new PersonateApi(),
			credentials: { apiKey: sb.keys.personate, baseUrl: sb.baseUrl('personate') },
			parameters: { operation: 'create', model: 'v2', actorSource: 'avatar', scriptSource: 'text', avatarType: 'public', voiceType: 'custom' },
		});
		expect((await personateListSearch.searchAvatars.call(ctx, 'be')).results).toEqual([{ name: 'Ben', value: 'pa_ben' }]);
		expect((await personateListSearch.searchVoices.call(ctx)).results).toEqual([{ name: 'My Sandbox Voice', value: 'cv_sandbox' }]);
	});

	it('personateRefusalInBody: an HTTP 200 {status: "error"} answer to a create is a refusal — no "may have been created"', async () => {
		sb.setOptions({ variants: { personateRefusalInBody: true } });
		sb.setFault('personate', { kind: 'invalidInput', endpoint: 'create', times: 1 });
		const result = await runVendor(sb, 'personate', createAndWait({ continueOnFail: true }));
		const [row] = jsonOf(result);
		expect(row.maybeCreated).toBeUndefined();
		expect(errorMessageOf(row) || String(result.error?.message)).toContain('Invalid request: check actor and script');
		expect(JSON.stringify(row)).not.toMatch(/may have been created/);
		expect(sb.jobs.list('personate')).toHaveLength(0);
	});
});

describe('Modellix variants', () => {
	it('modellixNoAsync: the create route without /async is tried after the 404, and the job succeeds', async () => {
		sb.setOptions({ variants: { modellixNoAsync: true } });
		const [row] = jsonOf(await runVendor(sb, 'modellix', createAndWait()));
		expect(row).toMatchObject({ status: 'succeeded' });
		const creates = sb.log.entries({ vendor: 'modellix', endpoint: 'create' }).map((entry) => [entry.path, entry.statusCode]);
		expect(creates).toEqual([
			['/modellix/api/v1/vidu/lip-sync/async', 404],
			['/modellix/api/v1/vidu/lip-sync', 200],
		]);
		expect(sb.jobs.list('modellix')).toHaveLength(1);
	});

	it('modellixResultUrlMoved: the create answer\'s get_result.url (same origin) is where the task is read', async () => {
		sb.setOptions({ variants: { modellixResultUrlMoved: true } });
		const [row] = jsonOf(await runVendor(sb, 'modellix', createAndWait()));
		expect(row).toMatchObject({ status: 'succeeded' });
		const statusPaths = sb.log.entries({ vendor: 'modellix', endpoint: 'status' }).map((entry) => entry.path);
		expect(statusPaths.length).toBeGreaterThan(0);
		expect(statusPaths.every((path) => path.startsWith('/modellix/api/v2/tasks/'))).toBe(true);
	});

	it('modellixResultUrlOtherHost: a get_result.url on another host is never asked (the key stays home); the documented route is', async () => {
		sb.setOptions({ variants: { modellixResultUrlOtherHost: true } });
		// The other host (127.0.0.2, the sandbox's port) records whatever reaches it.
		const arrived: string[] = [];
		const otherHost = createServer((req, res) => {
			arrived.push(`${req.method} ${req.url} key=${req.headers.authorization ? 'yes' : 'no'}`);
			res.writeHead(404).end();
		});
		await new Promise<void>((resolve) => otherHost.listen(sb.port, '127.0.0.2', resolve));
		const [row] = jsonOf(await runVendor(sb, 'modellix', createAndWait())).map((json) => json);
		await new Promise<void>((resolve) => otherHost.close(() => resolve()));
		expect(arrived).toEqual([]);
		expect(row).toMatchObject({ status: 'succeeded' });
		const statusPaths = sb.log.entries({ vendor: 'modellix', endpoint: 'status' }).map((entry) => entry.path);
		expect(statusPaths.every((path) => path.startsWith('/modellix/api/v1/tasks/'))).toBe(true);
	});

	it('modellixErrorMessageOnly: a failed task explained only in error_message keeps its words', async () => {
		sb.setOptions({ variants: { modellixErrorMessageOnly: true } });
		const [row] = jsonOf(await runVendor(sb, 'modellix', createAndWait({ inputItems: [{ json: { audio: FAILING_AUDIO } }] })));
		expect(row).toMatchObject({ status: 'failed', error: 'no face detected in the video' });
	});

	it('an empty Audio URL is left out of the create (Modellix marks audio_url optional)', async () => {
		const [row] = jsonOf(await runVendor(sb, 'modellix', createAndWait({ parameters: { audioUrl: '' } })));
		expect(row.status).toBe('succeeded');
		const [create] = sb.log.entries({ vendor: 'modellix', endpoint: 'create' });
		expect(create.requestBody).toEqual({ video_url: expect.any(String) });
	});
});

describe('an answer the node cannot read', () => {
	it('is quoted in the error, trimmed and without the key, so a user can report it in one paste', async () => {
		const key = 'sk-personate-echoed-0123456789';
		// A vendor that accepts the create but names the job in a field we do not read, echoing the key.
		const vendor = createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ result: 'queued', reference: 'job-in-another-field', echo: key, padding: 'x'.repeat(2000) }));
		});
		await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
		const { port } = vendor.address() as { port: number };
		try {
			const result = await runVendor(sb, 'personate', createAndWait({ apiKey: key, credentialFields: { baseUrl: `http://127.0.0.1:${port}` } }));
			const [row] = jsonOf(result);
			const message = errorMessageOf(row);
			expect(row.maybeCreated).toBe(true);
			expect(message).toContain('The vendor answered: {"result":"queued","reference":"job-in-another-field"');
			expect(message).toMatch(/characters\)/);
			expect(message.length).toBeLessThan(1500);
			expect(JSON.stringify(result.output)).not.toContain(key);
		} finally {
			await new Promise<void>((resolve) => vendor.close(() => resolve()));
		}
	});
});

describe('JoggAI variants', () => {
	it('joggaiResultFlat: a result flat in the task record (result_url, duration) is read, and the job succeeds with its video', async () => {
		sb.setOptions({ variants: { joggaiResultFlat: true } });
		const result = await runVendor(sb, 'joggai', createAndWait());
		expect(jsonOf(result)[0]).toMatchObject({ status: 'succeeded', videoUrl: expect.stringContaining('/joggai/results/'), durationSeconds: 1 });
		expect(result.output?.[0][0].binary?.data).toBeDefined();
	});
});

describe('sync.so variants', () => {
	it('syncsoErrorCodeCamel: a failed generation whose code is in errorCode is read and explained like error_code', async () => {
		sb.setOptions({ variants: { syncsoErrorCodeCamel: true } });
		const [row] = jsonOf(await runVendor(sb, 'syncso', createAndWait({ inputItems: [{ json: { audio: FAILING_AUDIO } }] })));
		expect(row).toMatchObject({ status: 'failed', errorCode: expect.any(String) });
		expect(String(row.errorCode)).not.toBe('');
	});

	it('syncsoOutputMediaUrl: a video named outputMediaUrl (no outputUrl) is read, and the job succeeds with its video', async () => {
		sb.setOptions({ variants: { syncsoOutputMediaUrl: true } });
		const result = await runVendor(sb, 'syncso', createAndWait());
		expect(jsonOf(result)[0]).toMatchObject({ status: 'succeeded', videoUrl: expect.stringContaining('/syncso/') });
		expect(result.output?.[0][0].binary?.data).toBeDefined();
	});
});
