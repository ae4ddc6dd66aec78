/**
 * What every bench part shares: its rows, its context, and how a row is worded. Each part turns
 * its own measurements into rows as soon as it ends, so the report can be written after every
 * part and a part that fails costs only its own rows (run.ts).
 */
import type { BenchConfig } from './config';
import type { RealN8n } from './realN8n';

export type Row = [measurement: string, target: string, measured: string, verdict: string, notes: string];

export interface PartContext {
	config: BenchConfig;
	log: (line: string) => void;
	/** The shared real n8n (regular mode), started on first use. */
	n8n: RealN8n;
}

export interface Part {
	/** Name for BENCH_ONLY (e.g. `batch`). */
	key: string;
	/** What the part measures, for the log and its error row. */
	title: string;
	/** Needs a real n8n (skipped with BENCH_SKIP_N8N=1). */
	realN8n: boolean;
	/** Uses the shared regular-mode n8n (stopped once no later part needs it). */
	sharedN8n?: boolean;
	run(ctx: PartContext): Promise<Row[]>;
}

export const verdict = (ok: boolean | undefined): string => (ok === undefined ? '—' : ok ? 'meets' : 'MISSES');
export const reps = (n: number): string => `median of ${n} run${n === 1 ? '' : 's'}`;

/** The row a failed part leaves in the table instead of its measurements. */
export function failedRow(part: Part, error: unknown): Row {
	const message = (error as Error)?.message ?? String(error);
	const oneLine = message.split('\n').slice(0, 3).join(' ').slice(0, 400);
	return [`${part.title} (part \`${part.key}\`)`, '—', `FAILED: ${oneLine}`, 'FAILED', 'the full error is in the bench log'];
}
