import type { IExecuteFunctions } from 'n8n-workflow';

import type { CreateRequest } from '../adapter';
import { nodeRunIndex } from './runIndex';

/**
 * Protection against double billing when n8n's "Retry On Fail" re-runs the node: every job id
 * is written to the node's execution-scoped context the moment it exists, keyed by what
 * identifies the item in this node run — its index. A re-run reuses the job instead of paying
 * again, and a create without a clear answer is remembered as uncertain and not sent again either —
 * unless the vendor deduplicates creates by key (IdempotentCreates): then the request as it was
 * sent is remembered, and the retry sends exactly it again, under the same key.
 *
 * Never keyed by the item's evaluated values: an expression such as `{{ $now }}` in any field
 * evaluates differently on each try, and a retry would then resend every create, uncertain ones
 * included. n8n re-runs a failed node with the same input items and the same run index.
 *
 * Every new run of the node (each batch of a Loop Over Items, each run of a loop) has a new run
 * index. So the memory belongs to one run index: a new run starts empty (identical rows in a
 * later batch get new jobs), and the memory never holds more than one run's items.
 */

const CONTEXT_KEY = 'lipSyncSubmissions';

export interface Submission {
	jobId?: string;
	uncertain?: boolean;
	/**
	 * The uncertain create as it was sent, for a vendor that deduplicates creates by key: a retry
	 * resends it unchanged (a re-read item may differ, e.g. `{{ $now }}`, and the vendor refuses a
	 * known key with other inputs).
	 */
	request?: CreateRequest;
}

interface RunMemory {
	runIndex: number;
	submissions: Record<string, Submission>;
}

/** The memory's key for an item of this node run. */
export function submissionKey(itemIndex: number): string {
	return `item ${itemIndex}`;
}

export class SubmissionMemory {
	private readonly store: Record<string, Submission>;

	/** `scope` separates the jobs of one item at different vendors (a node that spreads items over vendors). */
	constructor(
		ctx: IExecuteFunctions,
		private readonly scope = '',
	) {
		const context = ctx.getContext('node');
		const runIndex = nodeRunIndex(ctx);
		const existing = context[CONTEXT_KEY] as RunMemory | undefined;
		if (existing?.runIndex !== runIndex) {
			context[CONTEXT_KEY] = { runIndex, submissions: {} } satisfies RunMemory;
		}
		this.store = (context[CONTEXT_KEY] as RunMemory).submissions;
	}

	private scoped(key: string): string {
		return this.scope ? `${this.scope} ${key}` : key;
	}

	recall(key: string): Submission | undefined {
		return this.store[this.scoped(key)];
	}

	remember(key: string, jobId: string): void {
		this.store[this.scoped(key)] = { jobId };
	}

	/** `request`: the create as sent, when it may be sent again under its idempotency key. */
	markUncertain(key: string, request?: CreateRequest): void {
		this.store[this.scoped(key)] = request ? { uncertain: true, request } : { uncertain: true };
	}
}
