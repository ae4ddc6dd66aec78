import type { INodeProperties } from 'n8n-workflow';

import type { VendorAdapter } from '../adapter';
import type { Operation } from './runOptions';

/**
 * The Options collection as n8n shows it; what a run reads from it (defaults, validation) is in
 * runOptions.ts.
 */

const WAITING_OPERATIONS: Operation[] = ['create', 'createAndWait', 'wait'];
const RESULT_OPERATIONS: Operation[] = ['createAndWait', 'get', 'wait'];

/** The Options collection shared by all operations of every vendor node. */
export function optionsProperty(adapter: VendorAdapter): INodeProperties {
	const property = sharedOptions();
	// The literal defaults above are placeholders (the linter wants literals); the vendor's own apply.
	for (const option of property.options as INodeProperties[]) {
		if (option.name === 'pollIntervalSeconds') option.default = adapter.waitDefaults.pollIntervalSeconds;
		if (option.name === 'waitLimitMinutes') option.default = adapter.waitDefaults.waitLimitMinutes;
	}
	return property;
}

function sharedOptions(): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Download Time Limit (Minutes)',
				name: 'downloadTimeLimitMinutes',
				type: 'number',
				typeOptions: { minValue: 0.05, numberPrecision: 2 },
				default: 30,
				description: 'How long one video download may take from its first byte to its last; a slower download is an error (the URL stays in the output)',
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'Download Video',
				name: 'downloadVideo',
				type: 'boolean',
				default: false,
				description:
					'Whether to stream finished videos into binary data (the URL is always in the output). Ignored when the node runs as an AI tool.',
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'Include Input Fields',
				name: 'includeInputFields',
				type: 'options',
				default: 'none',
				options: [
					{ name: 'All', value: 'all', description: 'Each result row keeps every field of its input row (e.g. a sheet row number)' },
					{ name: 'None', value: 'none', description: 'Only the job fields' },
					{ name: 'Selected', value: 'selected', description: 'Only the input fields named below' },
				],
				description: 'Whether each result row also carries fields of the input row it came from, so results can be written back to that row. Job fields win when names clash.',
			},
			{
				displayName: 'Input Fields to Include',
				name: 'inputFieldsToInclude',
				type: 'string',
				default: '',
				placeholder: 'e.g. row_number, email',
				description: 'Comma-separated names of input fields to keep',
				displayOptions: { show: { includeInputFields: ['selected'] } },
			},
			{
				displayName: 'Max Download Size (MB)',
				name: 'maxDownloadSizeMb',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'A video larger than this is not downloaded (its URL stays in the output). 0 means no limit.',
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'Max Jobs per Execution',
				name: 'maxJobsPerExecution',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 500,
				description: 'Safety limit: a run with more input items than this fails before anything is sent (no credits spent, no status requests). 0 means no limit.',
			},
			{
				displayName: 'On Job Failure',
				name: 'onJobFailure',
				type: 'options',
				default: 'output',
				options: [
					{ name: 'Output the Failed Job', value: 'output', description: 'Output it with status "failed" and the vendor\'s error' },
					{ name: 'Fail the Item', value: 'error', description: 'Treat it as an error (continues if the node is set to continue on fail)' },
				],
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'On Timeout',
				name: 'onTimeout',
				type: 'options',
				default: 'output',
				options: [
					{ name: 'Output Still-Running Jobs', value: 'output', description: 'Output them with their job ID and status "queued" or "processing"; check later with Get' },
					{ name: 'Fail the Item', value: 'error', description: 'Treat a job that is still running at the wait limit as an error' },
				],
				displayOptions: { show: { '/operation': ['createAndWait', 'wait'] } },
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 0.5, numberPrecision: 1 },
				default: 10,
				description:
					'The longest a job goes without a status check, so the latest a finished job is noticed. Once jobs of this run have finished, the others are also checked around when their durations say they will finish, usually noticing them sooner.',
				displayOptions: { show: { '/operation': WAITING_OPERATIONS } },
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				placeholder: 'e.g. data',
				description: 'The name of the output binary field to put the video in when Download Video is on',
				displayOptions: { show: { '/operation': RESULT_OPERATIONS } },
			},
			{
				displayName: 'Wait Limit (Minutes)',
				name: 'waitLimitMinutes',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 1 },
				default: 60,
				description:
					'How long to wait for all jobs together. For Create, how long items may wait for a free slot when the vendor limits running jobs.',
				displayOptions: { show: { '/operation': WAITING_OPERATIONS } },
			},
		],
	};
}
