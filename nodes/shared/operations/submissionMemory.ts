import { createHash } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Protection against double billing when n8n's "Retry On Fail" re-runs the node: every job id
 * is written to the node's execution-scoped context the moment it exists, keyed by item index
 * and a hash of that item's create input. A re-run reuses the job instead of paying again.
 * A create that got no answer is remembered as uncertain and is not sent again either.
 */

const CONTEXT_KEY = 'lipSyncSubmissions';

export interface Submission {
	jobId?: string;
	uncertain?: boolean;
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
		context[CONTEXT_KEY] = context[CONTEXT_KEY] ?? {};
		this.store = context[CONTEXT_KEY] as Record<string, Submission>;
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
