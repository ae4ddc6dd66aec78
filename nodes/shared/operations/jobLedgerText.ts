/**
 * The job ledger's text: how its entries are spelled in custom-data values (`label: item=jobId …`),
 * read back, laid out over the list keys and summed up. Pure; jobLedger.ts does the n8n side.
 */

export const LEDGER_SUMMARY_KEY = 'lipsyncJobs';
export const LEDGER_LIST_KEYS = [1, 2, 3, 4, 5, 6].map((n) => `${LEDGER_SUMMARY_KEY}${n}`);
export const LEDGER_KEYS = [LEDGER_SUMMARY_KEY, ...LEDGER_LIST_KEYS];
/** Every log line of the ledger starts with this (grep for it). */
export const LEDGER_LOG_PREFIX = 'lipsync job';
/** n8n 2.41 keeps 512 characters but logs an error above 255. */
export const MAX_VALUE_LENGTH = 255;

/** In a list: the create was sent, no answer yet. After a Stop or crash: it may have been created. */
export const SENT_MARK = '?';
/** In a list: the create got no usable answer, so a paid job may exist. */
export const UNCERTAIN_MARK = '??';

export interface Group {
	label: string;
	entries: Map<number, string>;
}
export interface Ledger {
	groups: Group[];
	/** Entries that did not fit into the list keys (they are in the log). */
	unlisted: number;
	values: Record<string, string | undefined>;
}
/** The ledger parsed from the values `raw` (in LEDGER_KEYS order). Never handed out to be changed. */
export type Parsed = Omit<Ledger, 'values'> & { raw: Array<string | undefined> };

const UNLISTED = /(\d+) more only in n8n's log/;
/** How many entries a summary says are only in the log. */
export const unlistedIn = (summary: string | undefined): number => Number(UNLISTED.exec(summary ?? '')?.[1] ?? 0);
const TOKEN = /^(\d+)=(.+)$/;
// Control characters are single UTF-16 units, never halves of a surrogate pair.
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** One line of text (control characters become spaces), at most `max` characters. */
export function clean(text: string, max: number, spaces: 'keep' | 'drop' = 'keep'): string {
	let out = text.replace(CONTROL, ' ').trim();
	if (spaces === 'drop') out = out.replace(/\s+/g, '');
	return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

export function groupOf(groups: Group[], label: string): Group {
	let group = groups.find((g) => g.label === label);
	if (!group) groups.push((group = { label, entries: new Map() }));
	return group;
}


/** The ledger as the values of its custom-data keys spell it. */
export function parseLedger(values: Record<string, string | undefined>): Ledger {
	const groups: Group[] = [];
	for (const key of LEDGER_LIST_KEYS) {
		const value = values[key];
		const split = value?.indexOf(': ') ?? -1;
		if (!value || split < 0) continue;
		const group = groupOf(groups, value.slice(0, split));
		for (const token of value.slice(split + 2).split(' ')) {
			const match = TOKEN.exec(token);
			if (match) group.entries.set(Number(match[1]), match[2]);
		}
	}
	return { groups, unlisted: unlistedIn(values[LEDGER_SUMMARY_KEY]), values };
}

const isMark = (value: string) => value === SENT_MARK || value === UNCERTAIN_MARK;

/**
 * Lists as key values: creates in doubt first (they matter most), then job ids by item. Once
 * the keys are full the highest items are left to the log; the count of those is kept. A
 * dropped "sent" mark is not counted (its answer, when it comes, is).
 * `readBack` is what read() will parse back from `lists` — built here so it need not parse them —
 * or undefined where a label or token would not read back as placed.
 */
export function layOut(ledger: Ledger): { lists: string[]; dropped: number; readBack?: Group[] } {
	const lists: string[] = [];
	let dropped = 0;
	let open = { label: '', value: '' };
	let readBack: Group[] | undefined = [];
	let group: Group | undefined;
	const place = (label: string, entries: Array<[number, string]>) => {
		for (const [item, mark] of entries) {
			const token = ` ${item}=${mark}`;
			if (open.value && open.label === label && open.value.length + token.length <= MAX_VALUE_LENGTH) {
				open.value += token;
			} else {
				if (open.value) lists.push(open.value);
				open = { label, value: '' };
				if (lists.length < LEDGER_LIST_KEYS.length) open.value = `${label}:${token}`;
				else if (mark !== SENT_MARK) dropped++;
				if (!open.value || !readBack) continue;
				if (label.includes(': ')) readBack = undefined;
				else group = groupOf(readBack, label);
			}
			if (!readBack || !group) continue;
			if (mark.includes(' ') || !TOKEN.test(token.slice(1))) readBack = undefined;
			else group.entries.set(item, mark);
		}
	};
	const ids = ledger.groups.map((group) => {
		const doubts: Array<[number, string]> = [];
		const jobs: Array<[number, string]> = [];
		for (const entry of group.entries) (isMark(entry[1]) ? doubts : jobs).push(entry);
		place(group.label, doubts);
		return jobs.sort(([a], [b]) => a - b);
	});
	ledger.groups.forEach((group, i) => place(group.label, ids[i]));
	if (open.value) lists.push(open.value);
	return { lists, dropped, readBack };
}

export function summaryOf(ledger: Ledger, listed: number): string {
	const doubts = ledger.groups
		.map((g) => ({ label: g.label, items: [...g.entries].filter(([, mark]) => isMark(mark)).map(([item]) => item) }))
		.filter((g) => g.items.length > 0)
		.map((g) => `${g.label} item${g.items.length > 1 ? 's' : ''} ${g.items.join(', ')}`);
	const parts = [
		// Capped, so the count of unlisted ids (read back from here) always fits.
		doubts.length > 0 ? clean(`may have been created (create sent, no answer): ${doubts.join('; ')}`, 160) : '',
		ledger.unlisted > 0 ? `${ledger.unlisted} more only in n8n's log ("${LEDGER_LOG_PREFIX}")` : '',
		`${listed} listed as item=jobId in ${LEDGER_LIST_KEYS[0]}…`,
	].filter(Boolean);
	return clean(parts.join(' | '), MAX_VALUE_LENGTH);
}
