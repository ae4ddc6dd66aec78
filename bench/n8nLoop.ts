/**
 * The hand-built polling loop users build without our node, as an n8n workflow: Webhook → Split
 * Out → HTTP Request (create, every row at once) → Wait → HTTP Request (status) → If still
 * rendering → back to Wait, else done. Same rows, same Personate sandbox API as our node. The key
 * sits in a Header Auth credential, as n8n tells users to keep keys (and as our node's credential
 * does), so both pay n8n's credential lookup per request.
 */
const at = (x: number): [number, number] => [x, 0];

export function loopWorkflow(hook: string, baseUrl: string, headerAuth: { id: string; name: string }, pollSeconds: number) {
	const http = (name: string, x: number, method: string, url: string, body?: string) => ({
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
			options: {},
		},
		credentials: { httpHeaderAuth: { id: headerAuth.id, name: headerAuth.name } },
	});
	const create =
		"={{ JSON.stringify({ model: 'v2', actor: { use: 'video', video_url: $json.videoUrl }, script: { use: 'audio', audio_url: $json.audioUrl } }) }}";
	const link = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		name: `bench: hand-built polling loop ${hook}`,
		nodes: [
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
			http('Create', 400, 'POST', `${baseUrl}/api/express_lipsync_video`, create),
			{
				id: 'loop-wait',
				name: 'Wait',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: at(600),
				webhookId: `${hook}-wait`,
				parameters: { resume: 'timeInterval', amount: pollSeconds, unit: 'seconds' },
			},
			http('Status', 800, 'GET', `=${baseUrl}/api/express_lipsync_video/{{ $json.job_id }}`),
			{
				id: 'loop-if',
				name: 'Done?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2,
				position: at(1000),
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
						conditions: [
							{
								id: 'still-rendering',
								leftValue: '={{ $json.status }}',
								rightValue: 'rendering',
								operator: { type: 'string', operation: 'notEquals' },
							},
						],
						combinator: 'and',
					},
					options: {},
				},
			},
			{ id: 'loop-done', name: 'Finished', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: at(1200), parameters: {} },
		],
		connections: {
			Start: link('Split Out'),
			'Split Out': link('Create'),
			Create: link('Wait'),
			Wait: link('Status'),
			Status: link('Done?'),
			'Done?': {
				main: [[{ node: 'Finished', type: 'main', index: 0 }], [{ node: 'Wait', type: 'main', index: 0 }]],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}
