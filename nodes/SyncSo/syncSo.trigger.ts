import { NodeOperationError, type IDataObject, type IHookFunctions, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { text } from '../shared/adapterKit';
import { completedWithoutVideo } from '../shared/job';
import { dedupeKey, isDuplicateDelivery } from '../LipSyncTrigger/dedupe';
import { deliveryAgeOptions, maxDeliveryAgeSeconds } from '../LipSyncTrigger/deliveryAge';
import { accept, headerValue, parseJsonObject, readRawBody, reject } from '../LipSyncTrigger/inbound';
import type { TriggerMode } from '../LipSyncTrigger/triggerMode';
import { syncSoAdapter } from './syncSo.adapter';
import { SYNCSO_SIGNATURE_MILLISECONDS_FROM, SYNCSO_WEBHOOK_TOLERANCE_SECONDS } from './syncSo.assumptions';
import { SYNC_SIGNATURE_HEADER, verifySyncDelivery } from './syncSo.triggerSignature';

/**
 * sync.so mode. A generation created with this trigger's URL as its `webhookUrl` (the sync.so
 * node's Webhook URL option) is POSTed here when it completes or fails: the generation as
 * `GET /v2/generate/{id}` shows it, signed with the organization's webhook signing secret, which
 * the user copies into the sync.so credential (`Sync-Signature`, syncSo.triggerSignature.ts).
 * Nothing is registered with sync.so: the URL travels with each create.
 *
 * Order of checks: size, signature (then the signed timestamp's age), JSON, shape, duplicate —
 * nothing is parsed for an unproven sender, and only a fresh signed delivery is remembered. A
 * refusal answers 4xx and starts nothing; sync.so documents no retries, so a refused or missed
 * delivery is found by polling (the sync.so node's Get or Wait).
 */

/** The sync.so credential field holding the webhook signing secret (`whsec_…`). */
export const SYNCSO_WEBHOOK_SECRET_FIELD = 'webhookSigningSecret';

async function signingSecret(ctx: IWebhookFunctions | IHookFunctions): Promise<string> {
	const credentials = (await ctx.getCredentials(syncSoAdapter.credentialName)) as IDataObject;
	return text(credentials[SYNCSO_WEBHOOK_SECRET_FIELD])?.trim() ?? '';
}

async function receiveSyncSoWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const read = readRawBody(this);
	if (!read.ok) return reject(this, read.statusCode, read.reason);

	const verdict = verifySyncDelivery(await signingSecret(this), headerValue(this, SYNC_SIGNATURE_HEADER), read.value, Date.now(), {
		toleranceSeconds: maxDeliveryAgeSeconds(this, SYNCSO_WEBHOOK_TOLERANCE_SECONDS),
		millisecondsFrom: SYNCSO_SIGNATURE_MILLISECONDS_FROM,
	});
	if (!verdict.ok) return reject(this, 401, verdict.reason);

	const parsed = parseJsonObject(read.value);
	if (!parsed.ok) return reject(this, parsed.statusCode, parsed.reason);
	const generation = parsed.value;
	const id = text(generation.id);
	const status = text(generation.status);
	if (!id || !status) return reject(this, 400, 'Not a sync.so generation webhook: expected the generation with its id and status');

	// One start per generation and outcome: a second delivery of the same end is a copy.
	if (isDuplicateDelivery(dedupeKey(this), `${id}\u0000${status}`)) {
		return accept(undefined, `Generation ${id} (${status}) was already received; the workflow was not started again`);
	}
	const reported = (syncSoAdapter.callback?.parse ?? syncSoAdapter.parseStatus).call(syncSoAdapter, id, generation);
	// A webhook is the last word on its generation (no later look follows): success without a URL is final.
	// (Its `raw` would repeat the generation, which is the output itself.)
	const { raw: _raw, ...job } = reported.resultPending ? completedWithoutVideo(reported) : reported;
	return accept([{ ...generation, job }]);
}

/** Activation refuses a credential without the signing secret: every delivery would be refused. */
async function checkSigningSecret(this: IHookFunctions): Promise<boolean> {
	if ((await signingSecret(this)) === '') {
		throw new NodeOperationError(this.getNode(), 'The sync.so credential has no Webhook Signing Secret', {
			description:
				'Copy the webhook signing secret (whsec_…) from sync.so\'s dashboard into the Webhook Signing Secret field of the sync.so credential; the trigger refuses every delivery it cannot verify with it.',
		});
	}
	return true;
}

export const syncSoTriggerMode: TriggerMode = {
	vendor: syncSoAdapter.provider,
	name: syncSoAdapter.displayName,
	description: 'Starts on sync.so generation webhooks (generations created with this trigger\'s URL as their Webhook URL)',
	subtitle: 'sync.so generations',
	credential: { name: syncSoAdapter.credentialName, required: true },
	properties: [
		{
			displayName:
				'Put this trigger\'s production URL into the Webhook URL option of the sync.so node (sync.so needs a public https URL: n8n must run with WEBHOOK_URL set). sync.so signs each delivery with your organization\'s webhook signing secret: copy it into the Webhook Signing Secret field of the sync.so credential. Each generation starts the workflow once when it completes or fails.',
			name: 'syncSoNotice',
			type: 'notice',
			default: '',
		},
		deliveryAgeOptions(SYNCSO_WEBHOOK_TOLERANCE_SECONDS, 'sync.so documents no tolerance; 5 minutes leaves room for its queueing and clock differences.'),
	],
	webhook: receiveSyncSoWebhook,
	checkExists: checkSigningSecret,
};
