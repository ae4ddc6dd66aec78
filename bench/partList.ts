/**
 * The bench parts and the order they run in. Timed parts run alone; the issue-9 pacing part spends
 * about ten minutes waiting for JoggAI's 61 s windows with a few requests in flight, so parts
 * whose figures a busier machine hardly moves run beside it: cpu (after pacing, in its lane) and
 * memory report CPU time and memory of their own child process (not wall time), the in-process
 * baselines wait on sandbox timers, and queue mode's verdicts are counts (failed items, jobs
 * running at once); its wall ratio is reported, not judged. Lanes are balanced so the quick run
 * stays under 4 minutes.
 */
import { runBinaryInputs } from './binaryInputs';
import { runCpu } from './cpu';
import { runInProcess } from './inprocess';
import { runLongPoll } from './longPoll';
import { runMemory } from './memory';
import { runModellixBatch } from './modellixBatch';
import { runN8nBatch } from './n8nBatch';
import { runPacing } from './pacing';
import type { Part } from './parts';
import { runPipeline } from './pipeline';
import { runQueue } from './queue';
import { runSeveralVendors } from './severalVendors';
import { runTrigger, runTriggerLegacy } from './trigger';
import { runTriggerBursts } from './triggerBursts';

export const PARTS: Part[] = [
	{ key: 'batch', title: 'batch in the real n8n: ours vs the hand-built loop', realN8n: true, sharedN8n: true, run: runN8nBatch },
	{ key: 'modellix', title: 'Modellix batch in the real n8n against its 100-requests-a-minute bound', realN8n: true, sharedN8n: true, run: runModellixBatch },
	{ key: 'binaryInputs', title: 'binary audio by signed link vs audio URL in the real n8n', realN8n: true, sharedN8n: true, run: runBinaryInputs },
	{ key: 'inprocess', title: 'in-process baselines: one item at a time, Vozo batch', realN8n: false, run: runInProcess },
	{ key: 'longPoll', title: 'status requests per job: sync.so with long-polling vs a hand-built loop, in-process', realN8n: false, run: runLongPoll },
	{ key: 'memory', title: 'peak RSS of streamed downloads', realN8n: false, run: runMemory },
	{ key: 'cpu', title: 'CPU per create and status cycle next to n8n-core baselines, heap', realN8n: false, run: runCpu },
	{ key: 'trigger', title: 'trigger throughput in the real n8n', realN8n: true, sharedN8n: true, run: runTrigger },
	{ key: 'triggerBursts', title: 'trigger bursts in the real n8n: answer time, lost, started twice', realN8n: true, sharedN8n: true, run: runTriggerBursts },
	{ key: 'triggerLegacy', title: 'trigger throughput with N8N_EXPRESSION_ENGINE=legacy (a second real n8n)', realN8n: true, run: runTriggerLegacy },
	{ key: 'pipeline', title: 'pipeline scale in the real n8n', realN8n: true, sharedN8n: true, run: runPipeline },
	{ key: 'pacing', title: 'two overlapping JoggAI executions on one key in the real n8n', realN8n: true, sharedN8n: true, run: runPacing },
	{ key: 'severalVendors', title: 'the Lip Sync node over four vendors, one out of credit, in the real n8n', realN8n: true, sharedN8n: true, run: runSeveralVendors },
	{ key: 'queue', title: 'queue mode (Redis, main, 2 workers)', realN8n: true, run: runQueue },
];

/** Stages run one after another; a stage's lanes side by side; a lane's parts in order. */
export const STAGES: string[][][] = [[['batch']], [['binaryInputs']], [['trigger']], [['triggerBursts']], [['triggerLegacy']], [['pipeline']], [['severalVendors']], [['pacing', 'cpu'], ['inprocess', 'memory', 'longPoll'], ['queue', 'modellix']]];
