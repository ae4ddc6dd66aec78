import type { INodeProperties } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';

/**
 * What n8n's editor shows of callback waiting (the run itself: callbackWait.ts): the Wait By
 * parameter of Create and Wait, and which options it hides.
 */

/** The parameter, and its value that parks the execution for the vendor's callback. */
export const WAIT_BY_PARAMETER = 'waitBy';
export const CALLBACK_WAIT = 'callback';

function waitByProperty(adapter: Pick<VendorAdapter, 'displayName'>): INodeProperties {
	const name = adapter.displayName;
	return {
		displayName: 'Wait By',
		name: WAIT_BY_PARAMETER,
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Polling',
				value: 'polling',
				description: `Check each job's status at the poll interval. Handles many items at once; the execution keeps running while ${name} renders.`,
			},
			{
				name: 'Vendor Callback',
				value: CALLBACK_WAIT,
				description: `Vendor callback — frees the execution while ${name} renders. ${name} calls this execution's resume URL when the job ends. One item per execution; n8n must be reachable by ${name} (WEBHOOK_URL).`,
			},
		],
		default: 'polling',
		displayOptions: { show: { operation: ['createAndWait'] } },
	};
}

/**
 * Options that only mean something while polling are hidden in callback mode, and so is the
 * vendor's own callback URL option (`callback.urlOption`): the node gives the vendor the
 * execution's resume URL instead.
 */
const POLLING_ONLY_OPTIONS = ['pollIntervalSeconds', 'onTimeout', 'onJobFailure'];

/** The vendor node's properties with Wait By added (before Options) and polling-only options hidden for callbacks. */
export function withCallbackWait(properties: INodeProperties[], adapter: Pick<VendorAdapter, 'displayName' | 'callback'>): INodeProperties[] {
	const hidden = [...POLLING_ONLY_OPTIONS, ...(adapter.callback?.urlOption ? [adapter.callback.urlOption] : [])];
	const result = properties.map((property) => {
		if (property.name !== 'options' || property.type !== 'collection') return property;
		const options = (property.options as INodeProperties[]).map((option) => {
			if (!hidden.includes(option.name)) return option;
			const displayOptions = option.displayOptions ?? {};
			const hide = { ...(displayOptions.hide ?? {}), [`/${WAIT_BY_PARAMETER}`]: [CALLBACK_WAIT] };
			return { ...option, displayOptions: { ...displayOptions, hide } };
		});
		return { ...property, options };
	});
	const optionsAt = result.findIndex((property) => property.name === 'options');
	result.splice(optionsAt === -1 ? result.length : optionsAt, 0, waitByProperty(adapter));
	return result;
}
