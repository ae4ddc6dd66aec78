import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { SubmissionMemory, submissionKey } from '../../nodes/shared/operations/submissionMemory';

/** The two things the memory reads from n8n: the node's execution context and the run index. */
function runOf(context: IDataObject, runIndex: number): IExecuteFunctions {
	return {
		getContext: () => context,
		getWorkflowDataProxy: () => ({ $runIndex: runIndex }),
	} as unknown as IExecuteFunctions;
}

describe('SubmissionMemory', () => {
	it('gives a Retry On Fail try (same run index) the job its earlier try created', () => {
		const context: IDataObject = {};
		new SubmissionMemory(runOf(context, 0)).remember(submissionKey(3), 'job-1');
		expect(new SubmissionMemory(runOf(context, 0)).recall(submissionKey(3))).toEqual({ jobId: 'job-1' });
	});

	it('starts empty for a new run of the node (the next batch of a Loop Over Items), so identical rows get new jobs', () => {
		const context: IDataObject = {};
		new SubmissionMemory(runOf(context, 0)).remember(submissionKey(0), 'job-1');
		const nextBatch = new SubmissionMemory(runOf(context, 1));
		expect(nextBatch.recall(submissionKey(0))).toBeUndefined();
	});

	it('holds one run\'s items at most, whatever the number of loop iterations', () => {
		const context: IDataObject = {};
		for (let run = 0; run < 50; run++) {
			const memory = new SubmissionMemory(runOf(context, run));
			for (let item = 0; item < 5; item++) memory.remember(submissionKey(item), `job-${run}-${item}`);
		}
		const stored = (context.lipSyncSubmissions as { submissions: IDataObject }).submissions;
		expect(Object.keys(stored)).toHaveLength(5);
	});

	it('tells an uncertain create apart, and keys by item index', () => {
		const memory = new SubmissionMemory(runOf({}, 0));
		memory.markUncertain(submissionKey(1));
		expect(memory.recall(submissionKey(1))).toEqual({ uncertain: true });
		expect(memory.recall(submissionKey(2))).toBeUndefined();
	});
});
