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
 *   whoever runs n8n can read it. This is the crash-safe record: every event, at once.
 * - the execution's custom data: `lipsyncJobs` (a summary) and `lipsyncJobs1`…`lipsyncJobs6`
 *   (`item=jobId` lists). n8n saves custom data only when a regular-mode execution is stopped or
 *   the execution ends (never after a crash, never on a Stop in queue mode), and shows it in the
 *   execution and through its API. It keeps 10 keys per execution, shared with the workflow's
 *   own custom data: the ledger takes at most 7, and writes at most 255 characters per value
 *   (n8n logs an error for every longer one). What does not fit is counted in the summary and
 *   is in the log.
 *
 * Custom data is written when n8n can save it, not per event: each event is kept in memory, and
 * the lists are laid out once — when the execution is stopped (n8n's cancellation handler runs
 * synchronously before the stop saves custom data), when the run ends (closeLedger), and when the
 * node hands the execution over to wait (flushLedger). Laying the lists out for every event cost
 * about 0.2 ms of CPU per create (the bench's "CPU per create"); the log lines stay per event.
 *
 * Custom data is also the shared state: each flush reads it back, so several nodes, runs (Loop
 * Over Items) and Retry On Fail attempts of one execution share one ledger. Per node run we keep
 * the events not written yet, and the parse of the values we last wrote (and the node's names), so
 * a flush by the same node run does not parse the lists again; values anyone else changed are
 * parsed afresh.
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
	/** Entries recorded since the last flush, by label then item (a later mark replaces an earlier one). */
	pending: Map<string, Map<number, string>>;
	/** The flush on Stop is registered (once per node run). */
	flushOnStop?: boolean;
}
const nodeRuns = new WeakMap<IExecuteFunctions, NodeRun>();

function nodeRun(ctx: IExecuteFunctions): NodeRun {
	let run = nodeRuns.get(ctx);
	if (!run) nodeRuns.set(ctx, (run = { names: new Map(), pending: new Map() }));
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

/**
 * Frames n8n's logger reads: it captures the call stack of every line for the line's `file` and
 * `function` (its `callsites()`, then the caller two frames above the capture: capture, log,
 * info or warn, the caller). The capture walks up to Error.stackTraceLimit frames (V8's 10; 50
 * once n8n's error reporter runs with a Sentry DSN), the most of the logger's cost per line
 * (docs/n8n-stop-and-crash.md, "What a ledger line costs"). Four frames give the logger the same
 * caller, so the same line.
 */
const LOGGER_FRAMES = 4;

function log(ctx: IExecuteFunctions, level: 'info' | 'warn', message: string): void {
	let line: string;
	try {
		line = redact(ctx, `${LEDGER_LOG_PREFIX} ${message} ${where(ctx)}`);
	} catch {
		return;
	}
	const limit = Error.stackTraceLimit;
	try {
		if (typeof limit === 'number' && limit > LOGGER_FRAMES) Error.stackTraceLimit = LOGGER_FRAMES;
		ctx.logger[level](line);
	} catch {
		// Bookkeeping never fails a run of paid jobs.
	} finally {
		// Synchronous: nothing else runs before the limit is back.
		Error.stackTraceLimit = limit;
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

/** Keeps an entry for the next flush; cheap, as it runs for every create and every job id. */
function note(ctx: IExecuteFunctions, provider: string, itemIndex: number, mark: string): void {
	try {
		const run = nodeRun(ctx);
		const label = labelOf(ctx, provider);
		let entries = run.pending.get(label);
		if (!entries) run.pending.set(label, (entries = new Map()));
		entries.set(itemIndex, mark);
		if (!run.flushOnStop) {
			run.flushOnStop = true;
			ctx.onExecutionCancellation?.(() => flushLedger(ctx));
		}
	} catch {
		// Bookkeeping never fails a run of paid jobs; the log has the entry.
	}
}

/** Reads the ledger, adds this node run's pending entries, lets `settle` change it, writes it back. */
function flush(ctx: IExecuteFunctions, settle?: (ledger: Ledger) => void): void {
	const run = nodeRun(ctx);
	const pending = run.pending;
	if (pending.size === 0 && !settle) return;
	run.pending = new Map();
	try {
		const ledger = read(ctx);
		for (const [label, entries] of pending) {
			const group = groupOf(ledger.groups, label);
			for (const [item, mark] of entries) group.entries.set(item, mark);
		}
		settle?.(ledger);
		write(ctx, ledger);
	} catch {
		// No custom data here (e.g. an AI agent's tool call), or n8n refused a value: the log has it.
		// Custom data may hold part of this write; read() dropped the cache, so the next call parses it.
	}
}

/**
 * Writes the entries recorded so far to custom data. Runs by itself on Stop and at closeLedger;
 * call it before handing the execution over to wait (custom data is saved then).
 */
export function flushLedger(ctx: IExecuteFunctions): void {
	flush(ctx);
}

/**
 * Write-ahead: called just before a paid create goes out (each try). Until its answer is
 * recorded, the item reads "may have been created" — which is what it means if the execution is
 * stopped (or n8n dies) while the create is on the wire. A keyed create's idempotency key goes
 * into the log line (the crash-safe record), so whoever holds the log can tell the vendor which
 * create it was; custom data keeps the short mark only (its values hold 255 characters).
 */
export function recordCreateSent(ctx: IExecuteFunctions, provider: string, itemIndex: number, idempotencyKey?: string): void {
	const key = idempotencyKey === undefined ? '' : ` idempotency key ${clean(idempotencyKey, 128, 'drop')}`;
	log(ctx, 'info', `create sent: ${clean(provider, 20, 'drop')} item ${itemIndex}${key}`);
	note(ctx, provider, itemIndex, SENT_MARK);
}

/** Called the moment a job id exists (each submission). Cheap and synchronous: called per item. */
export function recordSubmittedJob(ctx: IExecuteFunctions, provider: string, itemIndex: number, jobId: string): void {
	const id = clean(jobId, 120, 'drop');
	log(ctx, 'info', `submitted: ${clean(provider, 20, 'drop')} job ${id} item ${itemIndex}`);
	note(ctx, provider, itemIndex, redact(ctx, id));
}

/** Called for a create whose outcome is uncertain (no usable answer): a paid job may exist. */
export function recordUncertainCreate(ctx: IExecuteFunctions, provider: string, itemIndex: number, reason: string): void {
	log(
		ctx,
		'warn',
		`may have been created: ${clean(provider, 20, 'drop')} item ${itemIndex} (${clean(reason, 200)}) — check the vendor's job list before sending it again`,
	);
	note(ctx, provider, itemIndex, UNCERTAIN_MARK);
}

/**
 * Called once when the run ends normally: every create has been heard out, so a create still
 * marked as sent was refused (nothing created) and is dropped. Job ids stay: they are also in
 * the node's output now.
 */
export function closeLedger(ctx: IExecuteFunctions): void {
	let jobs = 0;
	let doubts = 0;
	flush(ctx, (ledger) => {
		// Only this node run's lists: another node's creates in doubt are not ours to settle.
		const mine = nodePart(ctx);
		for (const group of ledger.groups.filter((g) => g.label.slice(g.label.indexOf(' ') + 1) === mine)) {
			for (const [item, mark] of group.entries) {
				if (mark === SENT_MARK) group.entries.delete(item);
				else if (mark === UNCERTAIN_MARK) doubts++;
				else jobs++;
			}
		}
	});
	log(ctx, 'info', `ledger closed: the run ended normally; ${jobs} job ids listed, ${doubts} creates in doubt`);
}
