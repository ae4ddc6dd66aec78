import type { IDataObject, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

/**
 * The age check of a signed delivery: a vendor stamps each delivery with the time it signed it,
 * and a delivery older (or further ahead) than the mode's "Max Delivery Age" is refused, so a
 * captured delivery cannot be replayed later. The modes check it only once the signature holds.
 */

/** Epoch numbers from 10^12 on are milliseconds (13 digits, from 2001 on), below it seconds. */
export const MILLISECONDS_FROM = 1e12;

/**
 * A delivery's timestamp as epoch milliseconds: unix seconds or milliseconds (told apart at
 * `millisecondsFrom`), numeric strings and ISO dates, so a change of unit on the vendor's side
 * does not refuse every delivery.
 */
export function deliveryTimeMs(value: unknown, millisecondsFrom = MILLISECONDS_FROM): number | undefined {
	const numeric = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
	if (typeof numeric === 'number' && Number.isFinite(numeric) && numeric > 0) {
		return numeric >= millisecondsFrom ? numeric : numeric * 1000;
	}
	if (typeof value === 'string') {
		const parsed = Date.parse(value);
		if (!Number.isNaN(parsed)) return parsed;
	}
	return undefined;
}

/** Why a delivery stamped `timestamp` is refused at `now`, or undefined when it is fresh enough. */
export function staleDeliveryReason(timestamp: unknown, maxAgeSeconds: number, now: number, millisecondsFrom = MILLISECONDS_FROM): string | undefined {
	const sentAt = deliveryTimeMs(timestamp, millisecondsFrom);
	if (sentAt === undefined) return 'The delivery has no readable "timestamp", so its age cannot be checked';
	const ageSeconds = Math.round((now - sentAt) / 1000);
	if (ageSeconds > maxAgeSeconds) {
		return `The delivery is ${ageSeconds} s old; at most ${maxAgeSeconds} s are accepted (a replayed delivery?)`;
	}
	if (-ageSeconds > maxAgeSeconds) {
		return `The delivery is stamped ${-ageSeconds} s in the future; at most ${maxAgeSeconds} s of clock difference are accepted`;
	}
	return undefined;
}

/** The mode's "Max Delivery Age (Seconds)" option (`options.maxDeliveryAge`); `fallback` when unset or invalid. 0: no check. */
export function maxDeliveryAgeSeconds(ctx: IWebhookFunctions, fallback: number): number {
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const value = Number(options.maxDeliveryAge ?? fallback);
	return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/**
 * A signed mode's Options collection with its "Max Delivery Age": `why` says why the default
 * suits the vendor (its re-sends, its queueing), after the sentence every mode shares; `more`: the
 * mode's other options.
 */
export function deliveryAgeOptions(defaultSeconds: number, why: string, more: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Max Delivery Age (Seconds)',
				name: 'maxDeliveryAge',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: defaultSeconds,
				description: `Deliveries whose signed timestamp is older than this, or this far in the future, are refused with HTTP 401, so a captured delivery cannot be replayed. ${why} 0 turns the check off.`,
			},
			...more,
		],
	};
}
