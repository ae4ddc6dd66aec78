import type { IDataObject } from 'n8n-workflow';
import { ensureExampleTables, JOBS_TABLE, PIPELINE_TABLE, SEVERAL_VENDORS_TABLE, tableRows, type TableRow } from './support/exampleTables';
import { example, importExample, ourNodes, runFromTrigger, startDemoLikeN8n, type DemoLikeN8n } from './support/examples';
import { nodeItems } from './support/lipsync';

/**
 * The examples that keep their rows in n8n's own Data Tables, run in a real n8n 2.41.1 set up as
 * `npm start` sets it up (the same table creation, support/examples.ts), each started from its
 * "Run Now" trigger as the editor starts it — what its schedule does every hour.
 */
describe('Data Table examples in a real n8n', () => {
	let demo: DemoLikeN8n;

	beforeAll(async () => {
		demo = await startDemoLikeN8n();
		await ensureExampleTables(demo.n8n);
	});

	afterAll(async () => {
		await demo?.n8n.stop();
		await demo?.sb.close();
	});

	const run = async (file: string) => {
		const wf = example(file);
		const execution = await runFromTrigger(demo.n8n, await importExample(demo, wf), 'Run Now');
		expect({ status: execution.status, error: execution.data?.resultData?.error?.message }).toEqual({ status: 'success', error: undefined });
		return { wf, execution };
	};
	const byId = (rows: TableRow[]) => new Map(rows.map((row) => [row.id, row]));

	it('the scheduled pipeline leaves every row of its Data Table succeeded with its video URL and job id, and a second run sends nothing', async () => {
		const before = await tableRows(demo.n8n, PIPELINE_TABLE.name);
		expect(before.map((row) => row.status)).toEqual(['pending', 'pending', 'pending']);

		const { wf, execution } = await run('datatable-pipeline-joggai.json');
		const after = await tableRows(demo.n8n, PIPELINE_TABLE.name);
		expect(after).toHaveLength(3);
		for (const row of after) {
			expect(row).toMatchObject({ status: 'succeeded', videoUrl: expect.stringMatching(/^http/), jobId: expect.stringMatching(/\S/), error: '' });
			// The job at JoggAI was made from this row's own links.
			const input = JSON.stringify(demo.sb.jobs.get('joggai', String(row.jobId))?.input);
			expect(input).toContain(String(byId(before).get(row.id)!.faceVideoUrl));
			expect(input).toContain(String(byId(before).get(row.id)!.audioUrl));
		}

		// Include Input Fields: All kept each row's columns (its id too) beside the job fields.
		const items = nodeItems(execution.data, ourNodes(wf)[0].name);
		expect(items.map((item) => [item.json.id, item.json.faceVideoUrl, item.json.audioUrl, item.json.status])).toEqual(
			before.map((row) => [row.id, row.faceVideoUrl, row.audioUrl, 'succeeded']),
		);
		// Version 1.1 nodes simplify: nothing nested would have to be flattened for the table.
		expect(items.every((item) => !('raw' in item.json))).toBe(true);

		const creates = demo.sb.log.count({ vendor: 'joggai', endpoint: 'create' });
		await run('datatable-pipeline-joggai.json');
		expect(demo.sb.log.count({ vendor: 'joggai', endpoint: 'create' })).toBe(creates);
	});

	it('the Lip Sync pipeline: each row made by the vendor its vendor column names, provider written back, and a second run sends nothing', async () => {
		const before = await tableRows(demo.n8n, SEVERAL_VENDORS_TABLE.name);
		expect(before.map((row) => row.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
		await run('datatable-pipeline-lipsync.json');
		const after = byId(await tableRows(demo.n8n, SEVERAL_VENDORS_TABLE.name));
		for (const row of before) {
			const written = after.get(row.id)!;
			expect(written).toMatchObject({ status: 'succeeded', provider: row.vendor, videoUrl: expect.stringMatching(/^http/), attempts: '', error: '' });
			const input = JSON.stringify(demo.sb.jobs.get(row.vendor as never, String(written.jobId))?.input);
			expect(input).toContain(String(row.faceVideoUrl));
		}
		const creates = () => ['vozo', 'personate', 'modellix', 'joggai'].map((vendor) => demo.sb.log.count({ vendor, endpoint: 'create' }));
		const first = creates();
		await run('datatable-pipeline-lipsync.json');
		expect(creates()).toEqual(first);
	});

	it('Vozo create now, wait later: the job ids land in the Data Table at once, a later run writes the results; the .png row went to Vozo as an image', async () => {
		// The Lip Sync pipeline above made a Vozo job too (its vozo row): count this example's own.
		const vozoCreates = () => demo.sb.log.entries({ vendor: 'vozo', endpoint: 'create' });
		const earlier = vozoCreates().length;
		await run('vozo-create-now.json');
		const submitted = await tableRows(demo.n8n, JOBS_TABLE.name);
		expect(submitted.map((row) => row.status).every((status) => status === 'queued' || status === 'processing')).toBe(true);
		expect(submitted.every((row) => String(row.jobId).length > 0)).toBe(true);
		const sent = vozoCreates().slice(earlier).map((entry) => entry.requestBody as IDataObject);
		expect(Object.fromEntries(sent.map((body) => [String(body.reference_file_url).split('/').pop(), body.reference_file_type]))).toEqual({
			'presenter-1.mp4': 'video',
			'portrait-2.png': 'image',
			'presenter-3.mp4': 'video',
		});

		await run('vozo-wait-later.json');
		const finished = await tableRows(demo.n8n, JOBS_TABLE.name);
		for (const row of finished) {
			expect(row).toMatchObject({ status: 'succeeded', videoUrl: expect.stringMatching(/^http/), error: '' });
			expect(row.jobId).toBe(byId(submitted).get(row.id)!.jobId);
		}
		// Nothing was created twice.
		expect(vozoCreates().length - earlier).toBe(3);
	});
});
