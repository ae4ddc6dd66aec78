import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server on `host` that records each request's headers and answers with `answer`. */
export async function recordingServer(host: string, answer: (res: ServerResponse) => void) {
	const seen: IncomingHttpHeaders[] = [];
	const server = createServer((req, res) => {
		seen.push(req.headers);
		req.resume();
		answer(res);
	});
	server.listen(0, host);
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		port,
		seen,
		close: async () => {
			server.closeAllConnections();
			server.close();
			await once(server, 'close');
		},
	};
}
