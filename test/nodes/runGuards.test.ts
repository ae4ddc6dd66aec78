/**
 * What decides how a run behaves, whatever its rows say: tool mode comes from n8n's tool context
 * only (never from a `toolCallId` field of an ordinary row), and the run-size guard (Max Jobs per
 * Execution) covers Get and Wait as well as the creates.
 */
import { audioItems, jsonOf, runVendor, useNodeSandbox } from './nodeKit';

const sb = useNodeSandbox();

describe('tool mode', () => {
	it('an ordinary row with a toolCallId field keeps the node\'s own behaviour: the video is downloaded and the raw body kept', async () => {
		const result = await runVendor(sb, 'modellix', {
			operation: 'createAndWait',
			typeVersion: 1,
			inputItems: [{ json: { audio: 'https://cdn.example.test/a.mp3', toolCallId: 'from-a-sheet' } }],
			options: { downloadVideo: true },
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0]).toMatchObject({ status: 'succeeded', raw: expect.any(Object) });
		expect(result.output![0][0].binary?.data).toBeDefined();
	});
});

describe('Max Jobs per Execution', () => {
	it.each(['get', 'wait'] as const)('a %s run with more items than the limit fails before any request', async (operation) => {
		const result = await runVendor(sb, 'vozo', {
			operation,
			inputItems: audioItems(4).map((item, i) => ({ json: { ...item.json, jobId: `job-${i}` } })),
			options: { maxJobsPerExecution: 3 },
		});
		expect(result.error?.message).toContain('This run has 4 items, more than Max Jobs per Execution (3) allows — nothing was sent');
		expect(sb.log.count({ vendor: 'vozo' })).toBe(0);
	});
});
