import { NodeOperationError, sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import { text } from '../adapterKit';
import { factsOf, renderItemError, scrubSecrets } from '../errors';
import { completedWithoutVideo, isTerminal, type NormalizedJob } from '../job';
import { getSession } from '../transport';
import { attachVideos } from './attachVideos';
import { claimCallback } from './callbackClaims';
import { answerCallbackCheck } from './callbackNode';
import { CALLBACK_JOB_ID_KEY } from './callbackWait';
import { flattenError, type ItemResult } from './output';
import { readDownloadOptions, type DownloadOptions } from './runOptions';
import { fetchJob } from './vendorCalls';

/**
 * Webhook side of callback waiting (see callbackWait.ts). n8n routes every POST to a parked
 * execution's resume URL here, after checking the URL's token itself (wrong token → 401,
 * unknown execution → 404, execution still running → 409). Returning items resumes the
 * execution with them as this node's output; returning only a response leaves it waiting.
 *
 * The callback is unsigned (anyone holding the URL could send one), so it only says *when* to
 * look: the outcome always comes from one authenticated status request, made by one callback
 * at a time (callbackClaims.ts: a vendor may send "done" twice).
 */

const RECEIVED = { received: true };
/** For a copy of a callback another one is handling, or has handled. */
const ALREADY_HANDLED = { received: true, alreadyHandled: true };
/** Like the polling wait: a few more looks when success is reported before the video URL. */
const RESULT_URL_LOOKS = 3;
const RESULT_URL_LOOK_INTERVAL_MS = 5_000;

interface OutboundResponse {
	status(code: number): OutboundResponse;
	json(body: unknown): unknown;
}

/** Answers the caller ourselves and leaves the execution waiting (nothing resumes). */
function answerOnly(ctx: IWebhookFunctions, statusCode: number, body: IDataObject): IWebhookResponseData {
	(ctx.getResponseObject() as unknown as OutboundResponse).status(statusCode).json(body);
	return { noWebhookResponse: true };
}

/**
 * Downloads use only getNode, helpers.httpRequest / prepareBinaryData and the optional
 * getExecutionCancelSignal, which n8n's WebhookContext has too; they are typed for the execute
 * context (vendor calls take any context as they are).
 */
const engineContext = (ctx: IWebhookFunctions) => ctx as unknown as IExecuteFunctions;

/** The parked job: custom execution data first, else the still-running item the node left as its input. */
function parkedJobId(ctx: IWebhookFunctions): string | undefined {
	const fromCustomData = text(ctx.customData.get(CALLBACK_JOB_ID_KEY));
	if (fromCustomData) return fromCustomData;
	return text(ctx.evaluateExpression('{{ $json.jobId }}', 0));
}

/** A parked wait is never a tool run: tools do not wait for callbacks. */
const downloadOptions = (ctx: IWebhookFunctions): DownloadOptions =>
	readDownloadOptions((ctx.getNodeParameter('options', {}) ?? {}) as IDataObject, false);

async function finishedItem(ctx: IWebhookFunctions, adapter: VendorAdapter, job: NormalizedJob): Promise<INodeExecutionData> {
	const options = downloadOptions(ctx);
	const result: ItemResult = { itemIndex: 0, jobId: job.jobId, job };
	if (options.downloadVideo && job.status === 'succeeded') {
		await attachVideos(engineContext(ctx), adapter, [result], options);
	}
	const json: IDataObject = { ...(result.job ?? job) };
	if (result.problem !== undefined) {
		// The job succeeded and its URL is in the row; a failed download cannot fail the resumed node.
		const secrets = getSession(ctx)?.secrets ?? [];
		json.error = { message: renderItemError(ctx.getNode(), adapter, result.problem, secrets, 0, job.jobId).message };
	}
	if (ctx.getNodeParameter('simplify', false) === true) flattenError(json);
	const item: INodeExecutionData = { json, pairedItem: { item: 0 } };
	if (result.binary) item.binary = { [options.binaryPropertyName]: result.binary };
	return item;
}

/** Looks a few more times at a job that reports success before its video URL is filled in. */
async function awaitResultUrl(ctx: IWebhookFunctions, adapter: VendorAdapter, job: NormalizedJob): Promise<NormalizedJob> {
	let current = job;
	for (let look = 0; look < RESULT_URL_LOOKS && current.resultPending; look++) {
		await sleep(RESULT_URL_LOOK_INTERVAL_MS);
		current = await fetchJob(ctx, adapter, job.jobId);
	}
	return current.resultPending ? completedWithoutVideo(current) : current;
}

async function handleCallback(ctx: IWebhookFunctions, adapter: VendorAdapter): Promise<IWebhookResponseData> {
	const jobId = parkedJobId(ctx);
	if (!jobId) {
		return answerOnly(ctx, 500, { received: false, error: 'This execution does not know which job it waits for' });
	}
	const reported = (adapter.callback?.parse ?? adapter.parseStatus).call(adapter, jobId, ctx.getBodyData());
	if (reported.providerStatus.trim() === '') {
		return answerOnly(ctx, 400, { received: false, error: `Not a ${adapter.displayName} status callback: the body has no status` });
	}
	if (!isTerminal(reported.status) && !reported.resultPending) return { webhookResponse: RECEIVED };

	// A copy of a callback that is already at work (or has resumed the execution) does nothing.
	const claim = claimCallback(`${ctx.getExecutionId()}:${jobId}`);
	if (!claim) return { webhookResponse: ALREADY_HANDLED };
	let answer: IWebhookResponseData | undefined;
	try {
		answer = await confirmAndFinish(ctx, adapter, jobId);
		return answer;
	} finally {
		if (answer?.workflowData) claim.resumed();
		else claim.release();
	}
}

/** The one status request that decides, then the finished item (with its video when asked). */
async function confirmAndFinish(ctx: IWebhookFunctions, adapter: VendorAdapter, jobId: string): Promise<IWebhookResponseData> {
	let job: NormalizedJob;
	try {
		job = await fetchJob(ctx, adapter, jobId);
	} catch (error) {
		// Keep waiting: a later callback, or the wait limit (which outputs the job id), follows.
		const message = factsOf(error).message || 'the status request failed';
		return answerOnly(ctx, 503, { received: false, error: `Could not confirm job ${jobId}: ${message}` });
	}
	// The callback claims an end the vendor does not (yet) confirm: keep waiting.
	if (!isTerminal(job.status) && !job.resultPending) return { webhookResponse: RECEIVED };

	const { downloadVideo } = downloadOptions(ctx);
	if (job.resultPending || (downloadVideo && job.status === 'succeeded')) {
		// Answer the vendor before looking again or streaming a video, so its callback does not time out.
		answerOnly(ctx, 200, RECEIVED);
		const final = await awaitResultUrl(ctx, adapter, job);
		return { noWebhookResponse: true, workflowData: [[await finishedItem(ctx, adapter, final)]] };
	}
	return { webhookResponse: RECEIVED, workflowData: [[await finishedItem(ctx, adapter, job)]] };
}

/** The vendor node's webhook(): resumes the parked execution once the vendor confirms the end of the job. */
export async function resumeFromCallback(ctx: IWebhookFunctions, adapter: VendorAdapter): Promise<IWebhookResponseData> {
	const check = answerCallbackCheck(ctx);
	if (check) return check;
	try {
		return await handleCallback(ctx, adapter);
	} catch (error) {
		// An error thrown from webhook() would resume the execution as failed and drop its run
		// data; answering 500 keeps it waiting for another callback or the wait limit instead.
		const secrets = getSession(ctx)?.secrets ?? [];
		const message = scrubSecrets(error instanceof Error ? error.message : String(error), secrets);
		const response = ctx.getResponseObject() as unknown as OutboundResponse & { headersSent?: boolean };
		if (response.headersSent) throw new NodeOperationError(ctx.getNode(), message);
		return answerOnly(ctx, 500, { received: false, error: message });
	}
}
