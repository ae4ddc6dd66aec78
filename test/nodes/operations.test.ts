/**
 * Every operation of every vendor node, run through n8n-core's WorkflowExecute against the
 * sandbox over HTTP.
 */
import { audioItems, jsonOf, runVendor, useNodeSandbox, VENDOR_LIST } from './nodeKit';

const sb = useNodeSandbox();

describe.each(VENDOR_LIST)('%s node', (vendor) => {
	it('Create and Wait: all items submitted first, finished together, one output per item', async () => {
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: audioItems(3, (i) => i === 1) });
		expect(result.error).toBeUndefined();
		const out = jsonOf(result);
		expect(out).toHaveLength(3);
		expect(out.map((j) => j.provider)).toEqual([vendor, vendor, vendor]);
		expect(out[0]).toMatchObject({ status: 'succeeded', videoUrl: expect.stringContaining('/results/') });
		expect(out[1]).toMatchObject({ status: 'failed', error: expect.any(String) });
		expect(out[2].status).toBe('succeeded');
		expect(result.output![0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// Submitted together: every create reached the vendor before the first status call.
		const endpoints = sb.log.entries({ vendor }).map((e) => e.endpoint);
		expect(endpoints.filter((e) => e === 'create')).toHaveLength(3);
		expect(endpoints.lastIndexOf('create')).toBeLessThan(endpoints.indexOf('status'));
	});

	it('Create outputs job ids without waiting; Get and Wait take them from $json.jobId', async () => {
		const created = await runVendor(sb, vendor, { operation: 'create', inputItems: audioItems(2) });
		expect(created.error).toBeUndefined();
		const jobs = jsonOf(created);
		expect(jobs.map((j) => j.status)).toEqual([expect.stringMatching(/queued|processing/), expect.stringMatching(/queued|processing/)]);
		expect(sb.log.count({ vendor, endpoint: 'status' })).toBe(0);

		const items = jobs.map((json) => ({ json }));
		const got = await runVendor(sb, vendor, { operation: 'get', inputItems: items });
		expect(jsonOf(got).map((j) => j.jobId)).toEqual(jobs.map((j) => j.jobId));

		const waited = await runVendor(sb, vendor, { operation: 'wait', inputItems: items });
		expect(waited.error).toBeUndefined();
		expect(jsonOf(waited).map((j) => [j.jobId, j.status])).toEqual(jobs.map((j) => [j.jobId, 'succeeded']));
	});

	it('downloads the finished video into binary data when asked', async () => {
		const result = await runVendor(sb, vendor, {
			operation: 'createAndWait',
			inputItems: audioItems(1),
			options: { downloadVideo: true, binaryPropertyName: 'video' },
		});
		expect(result.error).toBeUndefined();
		const item = result.output![0][0];
		expect(item.binary?.video).toMatchObject({ mimeType: 'video/mp4', fileName: expect.stringContaining('.mp4') });
		expect(Number(item.binary?.video.bytes ?? 0)).toBeGreaterThan(0);
	});
});
