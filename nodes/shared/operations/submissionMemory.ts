import { createHash } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Protection against double billing when n8n's "Retry On Fail" re-runs the node: every job id
 * is written to the node's execution-scoped context the moment it exists, keyed by item index
 * and a hash of that item's create input. A re-run reuses the job instead of paying again, and
 * a create without a clear answer is remembered as uncertain and not sent again either.
 *
 * n8n re-runs a failed node with the same run index, while every new run of the node (each
 * batch of a Loop Over Items, each run of a loop) has a new one. So the memory belongs to one
 * run index: a new run starts empty (identical rows in a later batch get new jobs), and the
 * memory never holds more than one run's items.
 */

const CONTEXT_KEY = 'lipSyncSubmissions';

export interface Submission {
	jobId?: string;
	uncertain?: boolean;
}

interface RunMemory {
	runIndex: number;
	submissions: Record<string, Submission>;
}

function stableStringify(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

export function submissionKey(itemIndex: number, input: unknown): string {
	const hash = createHash('sha256').update(stableStringify(input)).digest('hex').slice(0, 32);
	return `${itemIndex}:${hash}`;
}

export class SubmissionMemory {
	private readonly store: Record<string, Submission>;

	constructor(ctx: IExecuteFunctions) {
		const context = ctx.getContext('node');
		const runIndex = Number(ctx.getWorkflowDataProxy(0).$thisRunIndex ?? 0);
		const existing = context[CONTEXT_KEY] as RunMemory | undefined;
		if (existing?.runIndex !== runIndex) {
			context[CONTEXT_KEY] = { runIndex, submissions: {} } satisfies RunMemory;
		}
		this.store = (context[CONTEXT_KEY] as RunMemory).submissions;
	}

	recall(key: string): Submission | undefined {
		return this.store[key];
	}

	remember(key: string, jobId: string): void {
		this.store[key] = { jobId };
	}

	markUncertain(key: string): void {
		this.store[key] = { uncertain: true };
	}
}
