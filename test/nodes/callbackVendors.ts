/**
 * What the callback-wait node tests (callbackWait.test.ts) need of each vendor whose adapter has
 * `callback`, beyond what the adapter says: keyed by the sandbox's `Vendor`, so the type checker
 * asks for every registered vendor (null: its adapter has no callbacks). `callbackVendors()` walks
 * the registry and fails on a vendor with callbacks and no entry here.
 */
import type { IDataObject } from 'n8n-workflow';

import type { VendorAdapter } from '../../nodes/shared/adapter';
import type { Vendor } from '../sandbox';
import { registeredNodes, type RegisteredNode } from '../registry/registeredNodes';

/** A job's moment a callback reports. */
export type CallbackOutcome = 'running' | 'succeeded' | 'failed';

export interface CallbackSetup {
	/** The create body field that carries the callback URL. */
	urlField: string;
	/**
	 * A callback body as the vendor sends it for job `jobId` (the fields a test compares with what
	 * the sandbox sent); `videoUrl` puts a result URL of the caller's choosing in it.
	 */
	body(jobId: string, outcome: CallbackOutcome, videoUrl?: string): IDataObject;
	/** The callbacks the vendor sends for a job that succeeds, in order. */
	sentForSuccess: CallbackOutcome[];
	/** The job error code the sandbox gives a job whose audio URL fails (FAILING_AUDIO). */
	failedJobCode: string;
	/** The vendor's code of a create refused as invalid input (the sandbox's `invalidInput` fault). */
	refusedCreateCode: string;
	/** What the node says of an item whose audio URL is not a URL. */
	badAudioError: RegExp;
}

export const CALLBACK_SETUP: Record<Vendor, CallbackSetup | null> = {
	vozo: {
		urlField: 'callback_url',
		body: (_jobId, outcome, videoUrl) =>
			outcome === 'running' ? { status: 'processing' } : outcome === 'failed' ? { status: 'failed' } : { status: 'done', ...(videoUrl ? { video_url: videoUrl } : {}) },
		sentForSuccess: ['running', 'succeeded'],
		failedJobCode: '20601',
		refusedCreateCode: '5',
		badAudioError: /Audio URL/,
	},
	personate: null,
	modellix: null,
	joggai: null,
	syncso: {
		urlField: 'webhookUrl',
		body: (jobId, outcome, videoUrl) => ({
			id: jobId,
			status: { running: 'PROCESSING', succeeded: 'COMPLETED', failed: 'FAILED' }[outcome],
			...(videoUrl ? { outputUrl: videoUrl } : {}),
		}),
		// One webhook, when the generation completes or fails.
		sentForSuccess: ['succeeded'],
		failedJobCode: 'generation_media_metadata_missing',
		refusedCreateCode: 'generation_input_validation_failed',
		badAudioError: /Audio URL/,
	},
};

export interface CallbackVendor extends RegisteredNode {
	vendor: Vendor;
	setup: CallbackSetup;
	callback: NonNullable<VendorAdapter['callback']>;
}

/** Every registered vendor whose adapter has `callback`, with its setup. */
export function callbackVendors(): CallbackVendor[] {
	return registeredNodes().flatMap((node) => {
		const { callback, provider } = node.adapter;
		if (!callback) return [];
		const setup = CALLBACK_SETUP[provider as Vendor];
		if (!setup) throw new Error(`${node.adapter.displayName} has callbacks but no entry in CALLBACK_SETUP (test/nodes/callbackVendors.ts)`);
		return [{ ...node, vendor: provider as Vendor, setup, callback }];
	});
}
