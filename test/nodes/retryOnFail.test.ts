/**
 * n8n's Retry On Fail re-runs the node, in n8n-core's real WorkflowExecute: the memory of what
 * earlier tries created is keyed by the item, not by its evaluated values, so an expression that
 * evaluates differently on every try (`{{ $now }}`) never makes a retry pay again.
 */
import { useQuickRetries } from '../harness';
import { audioItems, runVendor, useNodeSandbox, VENDOR_SETUP } from './nodeKit';

useQuickRetries();
const sb = useNodeSandbox();

/** The audio URL carries the time of evaluation: different on every try of the node. */
const AUDIO_WITH_NOW = '={{ $json.audio }}?t={{ $now.toMillis() }}';

describe('Retry On Fail with {{ $now }} in a field', () => {
	it.each(['personate', 'vozo'] as const)(
		'%s: one job per item at the vendor over three tries — a failed job, an unanswered create and two good items',
		async (vendor) => {
			// Item 1's create makes its job, then the connection drops: "maybe created", never resent.
			sb.setFault(vendor, { kind: 'reset', endpoint: 'create', createdFirst: true, matchBody: 'voice-1' });
			const result = await runVendor(sb, vendor, {
				operation: 'createAndWait',
				// Item 3's job fails at the vendor; "fail the item" makes n8n retry the node.
				inputItems: audioItems(4, (i) => i === 3),
				parameters: { ...VENDOR_SETUP[vendor].createParameters, audioUrl: AUDIO_WITH_NOW },
				options: { onJobFailure: 'error' },
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 10,
			});
			expect(result.error).toBeDefined();
			const creates = sb.log.entries({ vendor, endpoint: 'create' });
			// Each try evaluated its own time into the URL, so the retries really differ in their input.
			expect(creates).toHaveLength(4);
			const jobs = sb.jobs.list(vendor);
			expect(jobs).toHaveLength(4);
			const perItem = (text: string) => jobs.filter((job) => JSON.stringify(job.input).includes(text)).length;
			expect(['voice-0', 'voice-1', 'voice-2', 'voice-fail'].map(perItem)).toEqual([1, 1, 1, 1]);
		},
	);
});
