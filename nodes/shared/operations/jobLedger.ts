import type { IExecuteFunctions } from 'n8n-workflow';

import { scrubSecrets } from '../errors';
import { getSession } from '../transport';
import { nodeRunIndex } from './runIndex';

/**
 * Keeps every paid job findable after the user presses Stop or n8n crashes mid-wait. n8n then
 * keeps none of the node's output (docs/n8n-stop-and-crash.md), so each job id — and each create
 * whose outcome is unknown — is written down the moment it exists, in the two places that
 * survive:
 *
 * - n8n's log: one line per event, all starting with `lipsync job`. Written at once to n8n's
 *   stdout (and log file, if configured), so it survives a Stop and a crash in every mode; only
 *   whoever runs n8n can read it.
 * - the execution's custom data: `lipsyncJobs` (a summary) and `lipsyncJobs1`…`lipsyncJobs6`
 *   (`item=jobId` lists). n8n saves custom data when a regular-mode execution is stopped, and
 *   shows it in the execution and through its API. It keeps 10 keys per execution, shared with
 *   the workflow's own custom data: the ledger takes at most 7, and writes at most 255
 *   characters per value (n8n logs an error for every longer one). What does not fit is counted
 *   in the summary and is in the log.
 *
 * Custom data is also the state: each call reads it back, so several nodes, runs (Loop Over
 * Items) and Retry On Fail attempts of one execution share one ledger. Per node run we only keep
 * the parse of the values we last wrote (and the node's names), so a call by the same node run
 * does not parse the lists again; values anyone else changed are parsed afresh.
 */

import {
	clean,
	groupOf,
	LEDGER_KEYS,
	LEDGER_LIST_KEYS,
	LEDGER_LOG_PREFIX,
	LEDGER_SUMMARY_KEY,
	layOut,
	parseLedger,
	SENT_MARK,
	summaryOf,
	UNCERTAIN_MARK,
	type Group,
	type Ledger,
	type Parsed,
	unlistedIn,
} from './jobLedgerText';

export { LEDGER_LIST_KEYS, LEDGER_SUMMARY_KEY, MAX_VALUE_LENGTH } from './jobLedgerText';

/** The session's credential values scrubbed from a text, as from every error message. */
const redact = (ctx: IExecuteFunctions, text: string): string => scrubSecrets(text, getSession(ctx)?.secrets ?? []);

/**
 * What one node run (one `ctx`) keeps between calls: its names (they do not change during a run,
 * and getNode() deep-copies the node each time), and `parsed`, which read() uses only while
 * custom data still holds exactly the values it was parsed from.
 */
interface NodeRun {
	names: Map<string, string>;
	parsed?: Parsed;
}
const nodeRuns = new WeakMap<IExecuteFunctions, NodeRun>();

function nodeRun(ctx: IExecuteFunctions): NodeRun {
	let run = nodeRuns.get(ctx);
	if (!run) nodeRuns.set(ctx, (run = { names: new Map() }));
	return run;
}

function once(ctx: IExecuteFunctions, name: string, compute: () => string): string {
	const { names } = nodeRun(ctx);
	let value = names.get(name);
	if (value === undefined) names.set(name, (value = compute()));
	return value;
}

/** The node's run index (Loop Over Items runs it once per batch). */
const runIndexOf = nodeRunIndex;

/** Which node (and which of its runs, inside a loop) a list belongs to: `"Name"` or `"Name" run 2`. */
const nodePart = (ctx: IExecuteFunctions) =>
	once(ctx, 'node', () => {
		const name = clean(ctx.getNode().name, 30).replace(/["=:]/g, "'");
		const run = runIndexOf(ctx);
		return `"${name}"${run > 0 ? ` run ${run}` : ''}`;
	});

const labelOf = (ctx: IExecuteFunctions, provider: string) =>
	once(ctx, `label ${provider}`, () => `${clean(provider, 20, 'drop')} ${nodePart(ctx)}`);

const where = (ctx: IExecuteFunctions) =>
	once(ctx, 'where', () => {
		const run = runIndexOf(ctx);
		let workflow = '';
		try {
			workflow = String(ctx.getWorkflow().id ?? '');
		} catch {
			workflow = '';
		}
		const node = `node "${clean(ctx.getNode().name, 100)}"${run > 0 ? ` run ${run}` : ''}`;
		return `(${node}, workflow ${workflow || '?'}, execution ${ctx.getExecutionId()})`;
	});

function log(ctx: IExecuteFunctions, level: 'info' | 'warn', message: string): void {
	try {
		ctx.logger[level](redact(ctx, `${LEDGER_LOG_PREFIX} ${message} ${where(ctx)}`));
	} catch {
		// Bookkeeping never fails a run of paid jobs.
	}
}

/** The ledger as custom data holds it now (one copy of custom data, not one per key). */
function read(ctx: IExecuteFunctions): Ledger {
	const values: Record<string, string | undefined> = ctx.customData.getAll();
	const run = nodeRun(ctx);
	const cached = run.parsed;
	// Handed over, not shared: the caller changes the groups, and its write may still be refused
	// or throw. Only a write that got through sets the next one.
	run.parsed = undefined;
	if (cached && LEDGER_KEYS.every((key, i) => values[key] === cached.raw[i])) {
		return { groups: cached.groups, unlisted: cached.unlisted, values };
	}
	return parseLedger(values);
}

function write(ctx: IExecuteFunctions, ledger: Ledger): void {
	const customData = ctx.customData;
	const { lists, dropped, readBack } = layOut(ledger);
	ledger.unlisted += dropped;
	const raw = LEDGER_LIST_KEYS.map((key, i) => {
		// A key that is no longer needed is emptied, never left holding stale ids.
		const value = lists[i] ?? (ledger.values[key] ? '' : undefined);
		if (value !== undefined && ledger.values[key] !== value) customData.set(key, value);
		return value ?? ledger.values[key];
	});
	// n8n silently ignores new keys once an execution has 10: count what it kept.
	const kept = customData.getAll();
	const listed = LEDGER_LIST_KEYS.reduce((n, key) => n + (kept[key] ?? '').split(' ').filter((t) => /^\d+=/.test(t)).length, 0);
	const summary = summaryOf(ledger, listed);
	if (ledger.values[LEDGER_SUMMARY_KEY] !== summary) customData.set(LEDGER_SUMMARY_KEY, summary);
	// What the next read() parses if nobody else writes meanwhile (a value n8n did not keep just misses).
	nodeRun(ctx).parsed = readBack && { raw: [summary, ...raw], groups: readBack, unlisted: unlistedIn(summary) };
}

function update(ctx: IExecuteFunctions, provider: string, change: (group: Group) => void): void {
	try {
		const ledger = read(ctx);
		change(groupOf(ledger.groups, labelOf(ctx, provider)));
		write(ctx, ledger);
	} catch {
		// No custom data here (e.g. an AI agent's tool call), or n8n refused a value: the log has it.
		// Custom data may hold part of this write; read() dropped the cache, so the next call parses it.
	}
}

/**
 * Write-ahead: called just before a paid create goes out. Until its answer is recorded, the
 * item reads "may have been created" — which is what it means if the execution is stopped (or
 * n8n dies) while the create is on the wire.
 */
export function recordCreateSent(ctx: IExecuteFunctions, provider: string, itemIndex: number): void {
	log(ctx, 'info', `create sent: ${clean(provider, 20, 'drop')} item ${itemIndex}`);
	update(ctx, provider, (group) => group.entries.set(itemIndex, SENT_MARK));
}

/** Called the moment a job id exists (each submission). Cheap and synchronous: called per item. */
export function recordSubmittedJob(ctx: IExecuteFunctions, provider: string, itemIndex: number, jobId: string): void {
	const id = clean(jobId, 120, 'drop');
	log(ctx, 'info', `submitted: ${clean(provider, 20, 'drop')} job ${id} item ${itemIndex}`);
	update(ctx, provider, (group) => group.entries.set(itemIndex, redact(ctx, id)));
}

/** Called for a create whose outcome is uncertain (no usable answer): a paid job may exist. */
export function recordUncertainCreate(ctx: IExecuteFunctions, provider: string, itemIndex: number, reason: string): void {
	log(
		ctx,
		'warn',
		`may have been created: ${clean(provider, 20, 'drop')} item ${itemIndex} (${clean(reason, 200)}) — check the vendor's job list before sending it again`,
	);
	update(ctx, provider, (group) => group.entries.set(itemIndex, UNCERTAIN_MARK));
}

/**
 * Called once when the run ends normally: every create has been heard out, so a create still
 * marked as sent was refused (nothing created) and is dropped. Job ids stay: they are also in
 * the node's output now.
 */
export function closeLedger(ctx: IExecuteFunctions): void {
	let jobs = 0;
	let doubts = 0;
	try {
		const ledger = read(ctx);
		// Only this node run's lists: another node's creates in doubt are not ours to settle.
		const mine = nodePart(ctx);
		for (const group of ledger.groups.filter((g) => g.label.slice(g.label.indexOf(' ') + 1) === mine)) {
			for (const [item, mark] of group.entries) {
				if (mark === SENT_MARK) group.entries.delete(item);
				else if (mark === UNCERTAIN_MARK) doubts++;
				else jobs++;
			}
		}
		write(ctx, ledger);
	} catch {
		// As in update(): the log still has every job.
	}
	log(ctx, 'info', `ledger closed: the run ended normally; ${jobs} job ids listed, ${doubts} creates in doubt`);
}
