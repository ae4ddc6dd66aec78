/** The table (console and BENCHMARKS.md) and the document around it. */
import type { Row } from './parts';

const HEAD = ['Measurement', 'Target', 'Measured', 'Verdict', 'Notes'];

export function consoleTable(rows: Row[]): string {
	const widths = HEAD.map((h, i) => Math.min(70, Math.max(h.length, ...rows.map((r) => r[i].length))));
	const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
	const line = (cells: string[]) => cells.map((c, i) => cut(c, widths[i])).join(' │ ');
	return [line(HEAD), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...rows.map(line)].join('\n');
}

export function markdownTable(rows: Array<string[]>, head: string[] = HEAD): string {
	const esc = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
	return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

export interface Document {
	quick: boolean;
	/** Parts not finished yet (the document is rewritten after every part). */
	pending: string[];
	rows: Row[];
	machine: Array<[string, string]>;
	/** Load average while the bench ran, sampled every 30 s. */
	load: string;
	minutes: string;
	sizes: string;
}

export function markdownDocument(doc: Document): string {
	const title = doc.quick
		? '# Benchmarks — QUICK smoke run (BENCH_QUICK=1: scaled-down sizes, not the issue-12 numbers)'
		: '# Benchmarks';
	const status = doc.pending.length
		? `**Run in progress** — parts still to come: ${doc.pending.join(', ')}. Rows below are final for the parts that ended.\n`
		: '';
	return [
		title,
		'',
		status,
		'Produced by `npm run bench` (bench/README.md says what each row measures and how). Sandbox = the',
		'local fake vendor APIs over loopback HTTP; "real n8n" = n8n 2.41.1 with this package installed',
		'from its packed tarball. Ratios are from one run; where a row has repeats, the median.',
		'',
		markdownTable(doc.rows),
		'',
		'Where the time of the rows that miss goes, measured: bench/README.md, "What the missed targets come from".',
		'',
		'## Machine',
		'',
		markdownTable([...doc.machine, ['Load average during the run (1 min, sampled every 30 s)', doc.load]], ['', '']),
		'',
		`Total bench time: ${doc.minutes} min. Sizes: ${doc.sizes}`,
		'',
	].join('\n');
}
