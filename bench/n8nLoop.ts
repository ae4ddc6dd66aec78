/**
 * The hand-built polling loop users build without our node, as an n8n workflow on one vendor's
 * API: Webhook → Split Out → HTTP Request (create) → Wait → HTTP Request (status) → If still
 * running → back to Wait, else done. The key sits in a Header Auth credential, as n8n tells users
 * to keep keys (and as our node's credential does), so both pay n8n's credential lookup per request.
 *
 * A vendor with documented request limits gets the loop a careful user builds for them, or the
 * vendor refuses it: creates in batches (Loop Over Items) with a Wait between batches, and status
 * reads through the HTTP Request node's own batching.
 */
import type { Vendor } from '../test/sandbox';

const at = (x: number): [number, number] => [x, 0];

/** How one vendor's API is called by hand. */
export interface LoopApi {
	/** Says whose API the loop calls, in row titles. */
	label: string;
	createPath: string;
	/** The create body as an n8n expression over a row ($json.videoUrl, $json.audioUrl). */
	createBody: string;
	/** The status path as an n8n expression over the create's answer. */
	statusPath: string;
	/** The vendor's words for "still running" in the status answer's `status`. */
	runningStatuses: string[];
	/** The header that carries the key, and its value for a key. */
	authHeader: (key: string) => { name: string; value: string };
	/** Creates allowed per minute: the loop creates this many, waits a minute, creates the next. */
	createsPerMinute?: number;
	/** Status reads allowed per minute: the status node sends at most this many a minute. */
	readsPerMinute?: number;
}

export const LOOP_APIS: Partial<Record<Vendor, LoopApi>> = {
	personate: {
		label: "Personate's API",
		createPath: '/api/express_lipsync_video',
		createBody:
			"={{ JSON.stringify({ model: 'v2', actor: { use: 'video', video_url: $json.videoUrl }, script: { use: 'audio', audio_url: $json.audioUrl } }) }}",
		statusPath: '/api/express_lipsync_video/{{ $json.job_id }}',
		runningStatuses: ['rendering'],
		authHeader: (key) => ({ name: 'Authorization', value: `Bearer ${key}` }),
	},
	syncso: {
		label: "sync.so's API",
		createPath: '/v2/generate',
		createBody:
			"={{ JSON.stringify({ model: 'lipsync-2', input: [{ type: 'video', url: $json.videoUrl }, { type: 'audio', url: $json.audioUrl }] }) }}",
		statusPath: '/v2/generate/{{ $json.id }}',
		runningStatuses: ['PENDING', 'PROCESSING'],
		authHeader: (key) => ({ name: 'x-api-key', value: key }),
		// sync.so: 60 creates and 600 other requests a minute per key; a margin against a sliding window
		createsPerMinute: 60,
		readsPerMinute: 540,
	},
};

/** A minute between create batches, with a second's margin against the vendor's window. */
const PACE_SECONDS = 61;

export function loopWorkflow(hook: string, api: LoopApi, baseUrl: string, headerAuth: { id: string; name: string }, pollSeconds: number) {
	const http = (name: string, x: number, method: string, url: string, body?: string, perMinute?: number) => ({
		id: `loop-${name.toLowerCase().replace(/\W/g, '')}`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: at(x),
		parameters: {
			method,
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			...(body ? { sendBody: true, specifyBody: 'json', jsonBody: body } : {}),
			options: perMinute ? { batching: { batch: { batchSize: Math.max(1, Math.floor(perMinute / 60)), batchInterval: 1000 } } } : {},
		},
		credentials: { httpHeaderAuth: { id: headerAuth.id, name: headerAuth.name } },
	});
	const wait = (name: string, x: number, seconds: number) => ({
		id: `loop-${name.toLowerCase().replace(/\W/g, '')}`,
		name,
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position: at(x),
		webhookId: `${hook}-${name.toLowerCase().replace(/\W/g, '')}`,
		parameters: { resume: 'timeInterval', amount: seconds, unit: 'seconds' },
	});
	const condition = (id: string, leftValue: string, conditions: Array<{ id: string; rightValue?: string; operator: Record<string, unknown> }>) => ({
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'loose' },
			conditions: conditions.map((c) => ({ id: `${id}-${c.id}`, leftValue, rightValue: c.rightValue ?? '', operator: c.operator })),
			combinator: 'or',
		},
		options: {},
	});
	const ifNode = (name: string, x: number, parameters: unknown) => ({
		id: `loop-${name.toLowerCase().replace(/\W/g, '')}`,
		name,
		type: 'n8n-nodes-base.if',
		typeVersion: 2,
		position: at(x),
		parameters,
	});
	const link = (...targets: string[][]) => ({ main: targets.map((nodes) => nodes.map((node) => ({ node, type: 'main', index: 0 }))) });

	const still = api.runningStatuses.map((status, i) => ({ id: `s${i}`, rightValue: status, operator: { type: 'string', operation: 'equals' } }));
	const nodes: unknown[] = [
		{
			id: 'loop-start',
			name: 'Start',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: at(0),
			webhookId: hook,
			parameters: { httpMethod: 'POST', path: hook, responseMode: 'onReceived', options: {} },
		},
		{
			id: 'loop-split',
			name: 'Split Out',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: at(200),
			parameters: { fieldToSplitOut: 'body.rows', include: 'noOtherFields', options: {} },
		},
		http('Create', 400, 'POST', `${baseUrl}${api.createPath}`, api.createBody),
		wait('Wait', 600, pollSeconds),
		http('Status', 800, 'GET', `=${baseUrl}${api.statusPath}`, undefined, api.readsPerMinute),
		ifNode('Still running?', 1000, condition('still-running', '={{ $json.status }}', still)),
		{ id: 'loop-done', name: 'Finished', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: at(1200), parameters: {} },
	];
	const connections: Record<string, unknown> = {
		Start: link(['Split Out']),
		Create: link(['Wait']),
		Wait: link(['Status']),
		Status: link(['Still running?']),
		'Still running?': link(['Wait'], ['Finished']),
	};
	if (api.createsPerMinute === undefined) {
		connections['Split Out'] = link(['Create']);
	} else {
		// Loop Over Items hands out a minute's creates at a time; after each batch but the last the
		// loop waits a minute; once every row is sent, its "done" output (all created jobs) goes to polling.
		nodes.push(
			{
				id: 'loop-batches',
				name: 'Loop Over Items',
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				position: at(300),
				parameters: { batchSize: api.createsPerMinute, options: {} },
			},
			ifNode('More rows?', 500, condition('more-rows', "={{ $('Loop Over Items').context.noItemsLeft }}", [{ id: 'left', operator: { type: 'boolean', operation: 'false', singleValue: true } }])),
			wait('Pace', 500, PACE_SECONDS),
		);
		connections['Split Out'] = link(['Loop Over Items']);
		connections['Loop Over Items'] = link(['Wait'], ['Create']);
		connections.Create = link(['More rows?']);
		connections['More rows?'] = link(['Pace'], ['Loop Over Items']);
		connections.Pace = link(['Loop Over Items']);
	}
	return { name: `bench: hand-built polling loop ${hook}`, nodes, connections, settings: { executionOrder: 'v1' } };
}
