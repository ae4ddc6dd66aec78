import { randomUUID } from 'crypto';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { CreateRequest, VendorAdapter } from '../adapter';
import { factsOf, VendorFailure } from '../errors';
import { isTerminal, type NormalizedJob } from '../job';
import { unreachableUrlReason } from '../publicUrl';
import { openSession } from '../transport';
import { CALLBACK_WAIT, WAIT_BY_PARAMETER } from './callbackWaitDescription';
import { closeLedger, flushLedger, recordSubmittedJob, recordUncertainCreate } from './jobLedger';
import { emitItems, placeholderJob, type ItemResult } from './output';
import { isToolRun, readRunOptions, type RunOptions } from './runOptions';
import { SubmissionMemory, submissionKey } from './submissionMemory';
import { idempotencyKeyOf, sendPaidCreate } from './paidCreate';
import { createToolkit } from './vendorCalls';

/**
 * Create and Wait with "Wait By: Vendor Callback" (the parameters: callbackWaitDescription.ts):
 * the job is created with this execution's resume URL as its callback, and the execution is
 * parked (n8n's putExecutionToWait) instead of polling. The vendor's callback lands in the node's
 * webhook() (callbackResume.ts), which confirms the outcome and resumes the execution with the finished job.
 *
 * n8n facts this is built on (n8n 2.41, read in n8n-core's WorkflowExecute and the CLI's
 * WaitingWebhooks):
 * - A parked execution is resumed once, by one webhook call, so one job per execution.
 * - When the wait limit passes, n8n resumes the execution WITHOUT running this node again: it
 *   disables the node and passes the node's *input* on unchanged (handleWaitingState). So the
 *   input is replaced here by the "still running" job item, which is then what comes out.
 */

/** Custom execution data (searchable in the executions list), read back by webhook(). */
export const CALLBACK_JOB_ID_KEY = 'lipsyncJobId';
const CALLBACK_PROVIDER_KEY = 'lipsyncProvider';

/**
 * True when this run should park for a callback. An AI agent cannot wait for a resume, so a
 * tool run polls instead.
 */
export function isCallbackWait(ctx: IExecuteFunctions, adapter: VendorAdapter): boolean {
	if (!adapter.callback || ctx.getInputData().length === 0) return false;
	if (ctx.getNodeParameter('operation', 0) !== 'createAndWait') return false;
	if (ctx.getNodeParameter(WAIT_BY_PARAMETER, 0, 'polling') !== CALLBACK_WAIT) return false;
	return !isToolRun(ctx);
}

/** The display name of the vendor's own callback URL option when the user filled it in, else undefined. */
function callbackUrlOption(ctx: IExecuteFunctions, adapter: VendorAdapter): string | undefined {
	const name = adapter.callback?.urlOption;
	if (!name) return undefined;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	if (String(options[name] ?? '').trim() === '') return undefined;
	const optionsProperty = adapter.createProperties.find((property) => property.name === 'options');
	const option = (optionsProperty?.options as INodeProperties[] | undefined)?.find((candidate) => candidate.name === name);
	return String(option?.displayName ?? name);
}

const stillRunningMessage = (adapter: VendorAdapter, jobId: string) =>
	`${adapter.displayName} did not report the end of job ${jobId} within the wait limit — it may still be running; check it with the Get or Wait operation.`;

function tooManyItems(ctx: IExecuteFunctions, count: number): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Wait By "Vendor Callback" handles one item per execution, but this node received ${count} items`,
		{
			description:
				'n8n resumes a waiting execution once, so each job needs its own execution. Split the items: put a Loop Over Items node (batch size 1) before this node, or call a sub-workflow once per item (Execute Workflow node, mode "Run once for each item"). Or use Wait By "Polling", which waits for many jobs at once.',
		},
	);
}

/** The resume URL without its signature (a secret that resumes the execution). */
function withoutQuery(url: string): string {
	const at = url.search(/[?#]/);
	return at === -1 ? url : url.slice(0, at);
}

/** n8n builds resume URLs from WEBHOOK_URL; a private one would park the run until the wait limit. */
function unreachableResumeUrl(ctx: IExecuteFunctions, adapter: VendorAdapter, url: string, reason: string): NodeOperationError {
	const name = adapter.displayName;
	return new NodeOperationError(ctx.getNode(), `${name} cannot reach this execution's resume URL (${withoutQuery(url)}): ${reason} — nothing was sent`, {
		itemIndex: 0,
		description: `With Wait By "Vendor Callback", ${name} calls n8n back at $execution.resumeUrl, which n8n builds from its WEBHOOK_URL environment variable. Set WEBHOOK_URL to n8n's public address (e.g. https://n8n.example.com/) and restart n8n, or use Wait By "Polling".`,
	});
}

/**
 * A problem before anything was parked. Bad input is an item error; a refused or uncertain create
 * is a job outcome and follows On Job Failure like in polling mode.
 */
function failItem(ctx: IExecuteFunctions, adapter: VendorAdapter, error: unknown, options: RunOptions): INodeExecutionData[][] {
	const kind = factsOf(error).kind;
	const isInputError = kind === 'unknown' || kind === 'config';
	const result: ItemResult = { itemIndex: 0, problem: error, problemKind: isInputError ? 'error' : 'row' };
	if (kind === 'uncertainCreate') result.maybeCreated = true;
	return emitItems(ctx, adapter, [result], options);
}

/** Execute side of callback waiting: validate, create with the resume URL, park. */
export async function waitForVendorCallback(ctx: IExecuteFunctions, adapter: VendorAdapter): Promise<INodeExecutionData[][]> {
	const callback = adapter.callback!;
	const count = ctx.getInputData().length;
	if (count !== 1) throw tooManyItems(ctx, count);
	const session = await openSession(ctx, adapter);
	const options = readRunOptions(ctx, adapter);

	let input: IDataObject;
	try {
		input = await adapter.readCreateInput(ctx, 0);
	} catch (error) {
		return failItem(ctx, adapter, error, options);
	}
	const ownCallbackUrl = callbackUrlOption(ctx, adapter);
	if (ownCallbackUrl) {
		const error = new NodeOperationError(ctx.getNode(), `Remove the "${ownCallbackUrl}" option, or use Wait By "Polling"`, {
			itemIndex: 0,
			description: `With Wait By "Vendor Callback" the node gives ${adapter.displayName} this execution's own resume URL; a job has only one callback URL.`,
		});
		return failItem(ctx, adapter, error, options);
	}

	// A create that got no answer may have made a paid job: Retry On Fail sends it again only under its idempotency key.
	const memory = new SubmissionMemory(ctx);
	const key = `callback ${submissionKey(0)}`;
	const earlier = memory.recall(key);
	const resend = adapter.idempotentCreates ? earlier?.request : undefined;
	if (earlier?.uncertain && !resend) {
		const facts = { kind: 'uncertainCreate' as const, message: 'an earlier attempt of this node sent this item and got no answer, so it is not sent again' };
		return failItem(ctx, adapter, new VendorFailure(ctx.getNode(), adapter, facts, session.secrets), options);
	}

	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	const unreachable = unreachableUrlReason(resumeUrl, { vendor: adapter.displayName, httpsOnly: callback.httpsOnly === true });
	if (unreachable) return failItem(ctx, adapter, unreachableResumeUrl(ctx, adapter, resumeUrl, unreachable), options);
	let created: { jobId: string; job?: NormalizedJob };
	let request: CreateRequest | undefined = resend;
	try {
		if (!request) {
			const prepared = adapter.prepareCreateInput
				? await adapter.prepareCreateInput(input, createToolkit(ctx, adapter, 0))
				: input;
			request = callback.attach(adapter.createRequest(prepared, randomUUID()), resumeUrl);
		}
		const { outputExtras: _extras, ...vendorCall } = request;
		const deadline = session.deps.clock.now() + options.waitLimitMs;
		created = await sendPaidCreate(ctx, adapter, vendorCall, 0, { deadline, idempotencyKey: idempotencyKeyOf(ctx, 'callback', 0) });
	} catch (error) {
		const facts = factsOf(error);
		if (facts.kind === 'uncertainCreate') {
			memory.markUncertain(key, adapter.idempotentCreates ? request : undefined);
			recordUncertainCreate(ctx, adapter.provider, 0, facts.message);
		}
		if (!session.isCancelled()) closeLedger(ctx);
		return failItem(ctx, adapter, error, options);
	}

	const { jobId } = created;
	recordSubmittedJob(ctx, adapter.provider, 0, jobId);
	if (created.job && isTerminal(created.job.status)) {
		// Finished in the create answer already: nothing to wait for.
		closeLedger(ctx);
		return [[{ json: { ...created.job }, pairedItem: { item: 0 } }]];
	}
	// The ledger's custom data is saved with the waiting execution.
	flushLedger(ctx);
	ctx.customData.set(CALLBACK_JOB_ID_KEY, jobId);
	ctx.customData.set(CALLBACK_PROVIDER_KEY, adapter.provider);

	const stillRunning: IDataObject = { ...placeholderJob(adapter, jobId, 'processing'), message: stillRunningMessage(adapter, jobId) };
	ctx.getExecuteData().data = { main: [[{ json: stillRunning, pairedItem: { item: 0 } }]] };

	await ctx.putExecutionToWait(new Date(session.deps.clock.now() + options.waitLimitMs));
	const parked: IDataObject = {
		...(created.job ?? placeholderJob(adapter, jobId, 'queued')),
		message: `Waiting for ${adapter.displayName} to call back when job ${jobId} ends.`,
	};
	return [[{ json: parked, pairedItem: { item: 0 } }]];
}
