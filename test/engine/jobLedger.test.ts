import { randomUUID } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	closeLedger,
	flushLedger,
	LEDGER_LIST_KEYS,
	LEDGER_SUMMARY_KEY,
	MAX_VALUE_LENGTH,
	recordCreateSent,
	recordSubmittedJob,
	recordUncertainCreate,
} from '../../nodes/shared/operations/jobLedger';
import { openSession } from '../../nodes/shared/transport';
import { fakeAdapter, fakeContext } from './fakes';

const API_KEY = 'sk-live-SECRET-0123456789';

/**
 * n8n 2.41's custom data as n8n-core implements it (docs/n8n-stop-and-crash.md): at most 10
 * keys (further new keys are silently ignored), values cut to 512 characters.
 */
function customDataLikeN8n(preset: Record<string, string> = {}) {
	const data = new Map(Object.entries(preset));
	return {
		data,
		set(key: string, value: string) {
			if (!data.has(key) && data.size >= 10) return;
			data.set(key, String(value).slice(0, 512));
		},
		get: (key: string) => data.get(key),
		getAll: () => Object.fromEntries(data),
		setAll() {},
	};
}

function ledgerContext(
	options: { runIndex?: number; preset?: Record<string, string>; nodeName?: string; shared?: ReturnType<typeof customDataLikeN8n> } = {},
) {
	const { ctx } = fakeContext(() => ({ body: {} }), { apiKey: API_KEY, baseUrl: 'https://api.fake.example' });
	const lines: Array<{ level: string; message: string }> = [];
	// n8n-core runs these synchronously when the execution's signal aborts (a Stop), before it saves.
	const onStop: Array<() => unknown> = [];
	const stop = () => onStop.splice(0).forEach((handler) => handler());
	// `shared`: the custom data of an execution another node (or attempt) writes to as well.
	const customData = options.shared ?? customDataLikeN8n(options.preset);
	const base = ctx as unknown as Record<string, unknown>;
	const node = { ...(base.getNode as () => Record<string, unknown>)(), name: options.nodeName ?? 'Create and Wait' };
	Object.assign(base, {
		getNode: () => node,
		getExecutionId: () => '57',
		getWorkflow: () => ({ id: 'wfAbC', name: 'batch', active: true }),
		getWorkflowDataProxy: () => ({ $runIndex: options.runIndex ?? 0 }),
		customData,
		onExecutionCancellation: (handler: () => unknown) => onStop.push(handler),
		logger: {
			info: (message: string) => lines.push({ level: 'info', message }),
			warn: (message: string) => lines.push({ level: 'warn', message }),
		},
	});
	return { ctx: ctx as IExecuteFunctions, lines, customData: customData.data, customDataApi: customData, stop };
}

describe('job ledger', () => {
	it('logs each job id with provider, item, node, workflow and execution, and lists it in custom data', () => {
		const { ctx, lines, customData } = ledgerContext();
		recordSubmittedJob(ctx, 'joggai', 3, 'job-7f3a');
		flushLedger(ctx);

		expect(lines).toEqual([
			{
				level: 'info',
				message: 'lipsync job submitted: joggai job job-7f3a item 3 (node "Create and Wait", workflow wfAbC, execution 57)',
			},
		]);
		expect(customData.get(LEDGER_LIST_KEYS[0])).toBe('joggai "Create and Wait": 3=job-7f3a');
		expect(customData.get(LEDGER_SUMMARY_KEY)).toBe('1 listed as item=jobId in lipsyncJobs1…');
	});

	it('marks a create as "may have been created" from the moment it is sent until its answer is recorded', () => {
		const { ctx, lines, customData, stop } = ledgerContext();
		recordSubmittedJob(ctx, 'joggai', 0, 'job-a');
		recordCreateSent(ctx, 'joggai', 1);
		stop();

		// What a Stop at this moment leaves in the execution's custom data.
		expect(customData.get(LEDGER_LIST_KEYS[0])).toBe('joggai "Create and Wait": 1=? 0=job-a');
		expect(customData.get(LEDGER_SUMMARY_KEY)).toBe(
			'may have been created (create sent, no answer): joggai "Create and Wait" item 1 | 2 listed as item=jobId in lipsyncJobs1…',
		);
		expect(lines[1].message).toBe('lipsync job create sent: joggai item 1 (node "Create and Wait", workflow wfAbC, execution 57)');

		recordSubmittedJob(ctx, 'joggai', 1, 'job-b');
		flushLedger(ctx);
		expect(customData.get(LEDGER_LIST_KEYS[0])).toBe('joggai "Create and Wait": 0=job-a 1=job-b');
		expect(customData.get(LEDGER_SUMMARY_KEY)).not.toContain('may have been created');
	});

	it('warns about an uncertain create with the item and reason; closing keeps it and drops refused creates', () => {
		const { ctx, lines, customData } = ledgerContext();
		recordCreateSent(ctx, 'vozo', 0);
		recordUncertainCreate(ctx, 'vozo', 0, 'HTTP 502 after the job was accepted');
		recordCreateSent(ctx, 'vozo', 1); // refused with a 400: neither an id nor a doubt follows
		recordCreateSent(ctx, 'vozo', 2);
		recordSubmittedJob(ctx, 'vozo', 2, 'v-2');
		closeLedger(ctx);

		expect(lines.find((l) => l.level === 'warn')?.message).toBe(
			'lipsync job may have been created: vozo item 0 (HTTP 502 after the job was accepted) — check the vendor\'s job list before sending it again (node "Create and Wait", workflow wfAbC, execution 57)',
		);
		expect(customData.get(LEDGER_LIST_KEYS[0])).toBe('vozo "Create and Wait": 0=?? 2=v-2');
		expect(customData.get(LEDGER_SUMMARY_KEY)).toContain('may have been created (create sent, no answer): vozo "Create and Wait" item 0 |');
		expect(lines.at(-1)?.message).toBe(
			'lipsync job ledger closed: the run ended normally; 1 job ids listed, 1 creates in doubt (node "Create and Wait", workflow wfAbC, execution 57)',
		);
	});

	it('lists about the first 30 of 200 UUID job ids in 7 keys of at most 255 characters and counts the rest, which the log has', () => {
		const { ctx, lines, customData } = ledgerContext();
		const ids = Array.from({ length: 200 }, () => randomUUID());
		ids.forEach((id, item) => {
			recordCreateSent(ctx, 'joggai', item);
			recordSubmittedJob(ctx, 'joggai', item, id);
		});
		flushLedger(ctx);

		expect([...customData.keys()].sort()).toEqual([LEDGER_SUMMARY_KEY, ...LEDGER_LIST_KEYS].sort());
		for (const value of customData.values()) expect(value.length).toBeLessThanOrEqual(MAX_VALUE_LENGTH);
		const listed = LEDGER_LIST_KEYS.flatMap((key) => customData.get(key)!.split(' ').filter((t) => /^\d+=/.test(t)));
		expect(listed.length).toBeGreaterThanOrEqual(30);
		for (const token of listed) expect(token).toBe(`${token.split('=')[0]}=${ids[Number(token.split('=')[0])]}`);
		// The first items keep their places (the last place goes to the newest create in flight).
		expect(listed.slice(0, -1)).toEqual(ids.slice(0, listed.length - 1).map((id, item) => `${item}=${id}`));
		expect(customData.get(LEDGER_SUMMARY_KEY)).toBe(
			`${200 - listed.length} more only in n8n's log ("lipsync job") | ${listed.length} listed as item=jobId in lipsyncJobs1…`,
		);
		const logged = lines.filter((l) => l.message.startsWith('lipsync job submitted'));
		expect(logged.map((l) => /job (\S+) item/.exec(l.message)![1])).toEqual(ids);
	});

	it('lists creates in doubt before job ids, so a full ledger still shows them', () => {
		const { ctx, customData } = ledgerContext();
		for (let item = 0; item < 60; item++) recordSubmittedJob(ctx, 'joggai', item, randomUUID());
		recordCreateSent(ctx, 'joggai', 60);
		flushLedger(ctx);

		expect(customData.get(LEDGER_LIST_KEYS[0])).toMatch(/^joggai "Create and Wait": 60=\? 0=/);
		expect(customData.get(LEDGER_SUMMARY_KEY)).toMatch(/^may have been created \(create sent, no answer\): joggai "Create and Wait" item 60 \| /);
	});

	it('keeps counting unlisted ids when many creates are in doubt at once', () => {
		const { ctx, customData } = ledgerContext();
		for (let item = 0; item < 60; item++) recordSubmittedJob(ctx, 'joggai', item, randomUUID());
		for (let item = 60; item < 100; item++) recordUncertainCreate(ctx, 'joggai', item, 'no answer');
		recordSubmittedJob(ctx, 'joggai', 100, randomUUID());
		flushLedger(ctx);

		const summary = customData.get(LEDGER_SUMMARY_KEY)!;
		expect(summary.length).toBeLessThanOrEqual(MAX_VALUE_LENGTH);
		const listed = LEDGER_LIST_KEYS.flatMap((key) => customData.get(key)!.split(' ').filter((t) => /^\d+=/.test(t))).length;
		expect(summary).toContain(`| ${101 - listed} more only in n8n's log ("lipsync job") | ${listed} listed as item=jobId`);
	});

	it('gives each run of the node (Loop Over Items) its own list, so equal item indexes do not collide', () => {
		const first = ledgerContext({ runIndex: 0 });
		recordSubmittedJob(first.ctx, 'joggai', 0, 'run0-item0');
		closeLedger(first.ctx);
		const second = ledgerContext({ runIndex: 1, preset: Object.fromEntries(first.customData) });
		recordSubmittedJob(second.ctx, 'joggai', 0, 'run1-item0');
		flushLedger(second.ctx);

		expect(second.customData.get(LEDGER_LIST_KEYS[0])).toBe('joggai "Create and Wait": 0=run0-item0');
		expect(second.customData.get(LEDGER_LIST_KEYS[1])).toBe('joggai "Create and Wait" run 1: 0=run1-item0');
		expect(second.lines[0].message).toContain('(node "Create and Wait" run 1, workflow wfAbC, execution 57)');
	});

	it('closing settles only its own node: another node\'s create in doubt stays', () => {
		const other = ledgerContext({ nodeName: 'Vozo' });
		recordCreateSent(other.ctx, 'vozo', 4);
		flushLedger(other.ctx);
		const mine = ledgerContext({ preset: Object.fromEntries(other.customData) });
		recordCreateSent(mine.ctx, 'joggai', 1);
		closeLedger(mine.ctx);

		expect(mine.customData.get(LEDGER_LIST_KEYS[0])).toBe('vozo "Vozo": 4=?');
		// Its own refused create never reached custom data: it was settled before anything was written.
		expect(mine.customData.get(LEDGER_LIST_KEYS[1]) ?? '').toBe('');
		expect(mine.customData.get(LEDGER_SUMMARY_KEY)).toContain('vozo "Vozo" item 4');
	});

	it('starts each record from what custom data holds now, also when another writer changed it since this node\'s last record', () => {
		const mine = ledgerContext();
		recordSubmittedJob(mine.ctx, 'joggai', 0, 'job-a');
		flushLedger(mine.ctx);
		// Another node of the same execution adds its list; then another attempt of this node
		// (Retry On Fail) replaces item 0's id, and something leaves a count of unlisted ids.
		const other = ledgerContext({ nodeName: 'Vozo', shared: mine.customDataApi });
		recordSubmittedJob(other.ctx, 'vozo', 4, 'v-4');
		flushLedger(other.ctx);
		mine.customData.set(LEDGER_LIST_KEYS[0], 'joggai "Create and Wait": 0=job-a2');
		mine.customData.set(LEDGER_SUMMARY_KEY, '3 more only in n8n\'s log ("lipsync job") | 2 listed as item=jobId in lipsyncJobs1…');
		recordSubmittedJob(mine.ctx, 'joggai', 1, 'job-b');
		flushLedger(mine.ctx);

		expect(mine.customData.get(LEDGER_LIST_KEYS[0])).toBe('joggai "Create and Wait": 0=job-a2 1=job-b');
		expect(mine.customData.get(LEDGER_LIST_KEYS[1])).toBe('vozo "Vozo": 4=v-4');
		expect(mine.customData.get(LEDGER_SUMMARY_KEY)).toBe('3 more only in n8n\'s log ("lipsync job") | 3 listed as item=jobId in lipsyncJobs1…');
	});

	it('leaves nothing of a record that n8n refused (manual mode throws) in the next record; the log still has it', () => {
		const { ctx, lines, customData, customDataApi } = ledgerContext();
		recordSubmittedJob(ctx, 'joggai', 0, 'job-a');
		flushLedger(ctx);
		const set = customDataApi.set;
		customDataApi.set = () => {
			customDataApi.set = set;
			throw new Error('Custom data key can only contain letters, numbers, and underscores');
		};
		recordSubmittedJob(ctx, 'joggai', 1, 'job-b');
		flushLedger(ctx);
		recordSubmittedJob(ctx, 'joggai', 2, 'job-c');
		flushLedger(ctx);

		expect(customData.get(LEDGER_LIST_KEYS[0])).toBe('joggai "Create and Wait": 0=job-a 2=job-c');
		expect(customData.get(LEDGER_SUMMARY_KEY)).toBe('2 listed as item=jobId in lipsyncJobs1…');
		expect(lines[1].message).toContain('submitted: joggai job job-b item 1');
	});

	it('leaves the workflow\'s own custom data alone and still logs when n8n\'s 10 keys are taken', () => {
		const preset = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`mine${i}`, `v${i}`]));
		const { ctx, lines, customData } = ledgerContext({ preset });
		for (let item = 0; item < 40; item++) recordSubmittedJob(ctx, 'joggai', item, randomUUID());
		closeLedger(ctx);

		for (const [key, value] of Object.entries(preset)) expect(customData.get(key)).toBe(value);
		expect(customData.size).toBe(10);
		// The one free key holds ids; there is no room left for the summary.
		expect(customData.get(LEDGER_LIST_KEYS[0])).toMatch(/^joggai "Create and Wait": 0=\S+ 1=\S+/);
		expect(customData.has(LEDGER_SUMMARY_KEY)).toBe(false);
		expect(lines.filter((l) => l.message.startsWith('lipsync job submitted'))).toHaveLength(40);
	});

	it('never writes the API key, neither to the log nor to custom data', async () => {
		const { ctx, lines, customData } = ledgerContext();
		await openSession(ctx, fakeAdapter);
		recordUncertainCreate(ctx, 'vozo', 0, `socket hang up (x-api-key: ${API_KEY})`);
		recordSubmittedJob(ctx, 'vozo', 1, `weird-${API_KEY}`);
		flushLedger(ctx);

		const everything = JSON.stringify({ lines, data: [...customData] });
		expect(everything).not.toContain(API_KEY);
		expect(lines[0].message).toContain('(socket hang up (x-api-key: ***))');
	});

	it('keeps job ids and reasons on one line of the log, whatever the vendor sent', () => {
		const { ctx, lines, customData } = ledgerContext();
		recordSubmittedJob(ctx, 'joggai', 0, 'abc\ndef ghi');
		recordUncertainCreate(ctx, 'joggai', 1, 'line one\nline two');
		flushLedger(ctx);

		expect(lines.every((l) => !l.message.includes('\n'))).toBe(true);
		expect(customData.get(LEDGER_LIST_KEYS[0])).toBe('joggai "Create and Wait": 1=?? 0=abcdefghi');
	});

	it('lays custom data out only when n8n can save it: nothing per record, everything at a Stop, the rest at the normal end', () => {
		const { ctx, lines, customData, stop } = ledgerContext();
		for (let item = 0; item < 5; item++) {
			recordCreateSent(ctx, 'joggai', item);
			if (item < 4) recordSubmittedJob(ctx, 'joggai', item, `job-${item}`);
		}
		// Every event is in the log at once (the crash-safe record); custom data is untouched so far.
		expect(lines.filter((l) => l.message.startsWith('lipsync job submitted'))).toHaveLength(4);
		expect(customData.size).toBe(0);

		stop();
		expect(customData.get(LEDGER_LIST_KEYS[0])).toBe('joggai "Create and Wait": 4=? 0=job-0 1=job-1 2=job-2 3=job-3');
		expect(customData.get(LEDGER_SUMMARY_KEY)).toContain('may have been created (create sent, no answer): joggai "Create and Wait" item 4');

		recordSubmittedJob(ctx, 'joggai', 4, 'job-4');
		closeLedger(ctx);
		expect(customData.get(LEDGER_LIST_KEYS[0])).toBe('joggai "Create and Wait": 0=job-0 1=job-1 2=job-2 3=job-3 4=job-4');
	});

	it('does not throw where a node has no custom data (an AI agent\'s tool call), and still logs', () => {
		const { ctx, lines } = ledgerContext();
		Object.defineProperty(ctx, 'customData', {
			get() {
				throw new Error('Cannot access customData: runExecutionData is not available in this context');
			},
		});
		expect(() => recordSubmittedJob(ctx, 'modellix', 0, 'm-1')).not.toThrow();
		expect(() => closeLedger(ctx)).not.toThrow();
		expect(lines[0].message).toContain('submitted: modellix job m-1 item 0');
	});
});
