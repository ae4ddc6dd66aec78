import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A throwaway n8n node that writes to every channel a node can reach while it runs, so the
 * investigation (stopAndCrash.ts) can see which of them survive a Stop or a crash of n8n:
 * custom data (execution metadata), workflow static data, n8n's logger, its output items, an
 * error thrown after the stop. Loaded with N8N_CUSTOM_EXTENSIONS as type `CUSTOM.probe`.
 *
 * Behaviour, driven by the input item (`body` of a webhook, or the item itself):
 * - `mode: 'limits'`: sets 12 custom-data keys (one 600 characters long) and static data, and
 *   returns at once;
 * - otherwise: sets 9 custom-data keys, static data and a log line, then waits for the stop
 *   (or 10 minutes); after the stop it writes one more key, static-data field and log line,
 *   then returns items (`onStop: 'return'`) or throws (`onStop: 'throw'`).
 */
const SOURCE = String.raw`
'use strict';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Probe {
	constructor() {
		this.description = {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'Writes to every channel, then waits for Stop',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		};
	}

	async execute() {
		const input = this.getInputData();
		const first = input[0] ? input[0].json : {};
		const cfg = first.body && typeof first.body === 'object' ? first.body : first;
		const tag = cfg.tag || 'probe';
		if (cfg.mode === 'limits') {
			for (let i = 0; i < 12; i++) this.customData.set('probe_' + i, i === 0 ? 'L'.repeat(600) : 'job-' + i);
			this.getWorkflowStaticData('node').limits = 'saved by a run that ended normally';
			return [input.map((item, i) => ({ json: { done: true }, pairedItem: { item: i } }))];
		}
		this.customData.set('probe_long', 'L'.repeat(600));
		for (let i = 1; i <= 8; i++) this.customData.set('probe_' + i, tag + '-job-' + i);
		const staticData = this.getWorkflowStaticData('node');
		staticData.before = tag + '-before-stop';
		this.logger.info('PROBE ' + tag + ' submitted ' + tag + '-job-1 ' + tag + '-job-2');
		const signal = this.getExecutionCancelSignal();
		const until = Date.now() + 600000;
		while (!(signal && signal.aborted) && Date.now() < until) await sleep(100);
		// Simulates a create that was on the wire when the user pressed Stop: its answer comes later.
		await sleep(Number(cfg.lateMs || 0));
		this.customData.set('probe_after', tag + '-after-stop');
		staticData.after = tag + '-after-stop';
		this.logger.info('PROBE ' + tag + ' after stop ' + tag + '-job-late');
		if (cfg.onStop === 'throw') throw new Error('PROBE ' + tag + ' stopped; jobs ' + tag + '-job-1 ' + tag + '-job-2');
		return [input.map((item, i) => ({ json: { jobId: tag + '-job-' + (i + 1) }, pairedItem: { item: i } }))];
	}
}
module.exports = { Probe };
`;

/** Writes the probe node into `dir` (give that folder to n8n as N8N_CUSTOM_EXTENSIONS). */
export function writeProbeNode(dir: string): string {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'Probe.node.js'), SOURCE);
	return dir;
}

export const PROBE_TYPE = 'CUSTOM.probe';
