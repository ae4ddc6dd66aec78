/**
 * No JoggAI signing secret in an activation error: a stand-in JoggAI on loopback answers the
 * endpoint registration without an endpoint_id but with a secret, and the error (message and
 * description, what n8n shows and logs) must not quote it.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { TriggerUnderTest } from './triggerHarness';

const LEAKED_SECRET = 'whsec_must_never_be_quoted_0123456789';

it('the "no endpoint_id" activation error quotes JoggAI\'s answer without its secret', async () => {
	const server = createServer((req, res) => {
		req.resume();
		const data = req.method === 'GET' ? { endpoints: [] } : { url: 'https://n8n.example.test/webhook/x/callback', status: 'enabled', secret: LEAKED_SECRET };
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 0, msg: 'success', data }));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	try {
		const trigger = new TriggerUnderTest({
			parameters: { vendor: 'joggai', events: ['generated_avatar_video_success'] },
			joggAi: { apiKey: 'joggai-key-0123456789', baseUrl: `http://127.0.0.1:${port}` },
		});
		const error = await trigger.activate().then(
			() => undefined,
			(thrown: Error & { description?: string }) => thrown,
		);
		expect(error?.message).toBe('JoggAI registered the webhook but returned no endpoint_id');
		expect(error?.description).toContain('"status":"enabled"');
		expect(JSON.stringify({ message: error?.message, description: error?.description })).not.toContain(LEAKED_SECRET);
	} finally {
		server.closeAllConnections();
		server.close();
	}
});
