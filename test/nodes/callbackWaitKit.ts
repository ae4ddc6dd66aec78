/**
 * Parking a vendor node's Create and Wait for the vendor's callback, and delivering callbacks to
 * the parked run: shared by callbackWait.test.ts and callbackResume.test.ts, for every vendor of
 * callbackVendors().
 */
import type { IDataObject } from 'n8n-workflow';

import type { RunNodeResult } from '../harness';
import type { Sandbox } from '../sandbox';
import type { CallbackVendor } from './callbackVendors';
import { audioItems, runVendor, VENDOR_SETUP } from './nodeKit';
import { deliverCallback, type ResumeAnswer } from './resumeWebhookKit';

export const CALLBACK = { waitBy: 'callback' };
export const MINUTE = 60_000;
/** The node refuses resume URLs the vendor cannot reach (test/nodes/reachableUrls.test.ts): n8n looks public here. */
export const PUBLIC_N8N = 'https://n8n.example.test';

export const parkedJobId = (result: RunNodeResult) => String(result.output![0][0].json.jobId);

export interface CallbackWaitKit {
	park(options?: IDataObject, extra?: Partial<Parameters<typeof runVendor>[2]>): Promise<RunNodeResult>;
	/** Delivers `body` to the parked run's resume webhook, with the vendor's credential (`apiKey` in it). */
	deliver(parked: RunNodeResult, body: unknown, options?: IDataObject, apiKey?: string, method?: string): Promise<ResumeAnswer>;
}

export function callbackWaitKit(sb: Sandbox, { vendor, adapter }: CallbackVendor): CallbackWaitKit {
	return {
		park: async (options = { waitLimitMinutes: 5 }, extra = {}) =>
			await runVendor(sb, vendor, {
				operation: 'createAndWait',
				parameters: CALLBACK,
				options,
				inputItems: audioItems(1),
				instanceBaseUrl: PUBLIC_N8N,
				...extra,
			}),
		deliver: async (parked, body, options = {}, apiKey = sb.keys[vendor], method = 'POST') =>
			await deliverCallback({
				parked,
				parameters: { operation: 'createAndWait', ...VENDOR_SETUP[vendor].createParameters, ...CALLBACK, options },
				credentials: { [adapter.credentialName]: { apiKey, baseUrl: sb.baseUrl(vendor) } },
				body,
				method,
			}),
	};
}
