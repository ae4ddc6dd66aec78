/**
 * A tiny node:http server on 127.0.0.1 for harness.test.ts (vendor tests use test/sandbox).
 *   GET /echo/*       → JSON { path, headers }
 *   GET /status/:code → that status with a JSON error body
 *   GET /video?bytes= → that many deterministic bytes, written in 64 KiB chunks
 *   GET /hang         → answers only when released; see expectHangingRequest
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HangingRequest {
	/** Resolves when the GET /hang has arrived. */
	arrived: Promise<void>;
	/** Resolves when the client closed the connection (e.g. its request was aborted). */
	closed: Promise<void>;
	isClosed(): boolean;
	/** Answers the request with 200 {"released":true}. */
	release(): void;
}

export interface TestServer {
	url: string;
	videoBytes(size: number): Buffer;
	/** Watches the next GET /hang. */
	expectHangingRequest(): HangingRequest;
	close(): Promise<void>;
}

function videoBytes(size: number): Buffer {
	const bytes = Buffer.alloc(size);
	for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) % 251;
	return bytes;
}

async function writeInChunks(res: ServerResponse, body: Buffer): Promise<void> {
	res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': body.length });
	for (let offset = 0; offset < body.length; offset += 65_536) {
		if (!res.write(body.subarray(offset, offset + 65_536))) await once(res, 'drain');
	}
	res.end();
}

export async function startTestServer(): Promise<TestServer> {
	let onHang: ((res: ServerResponse) => void) | undefined;

	const handle = (req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		if (url.pathname.startsWith('/echo/')) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ path: req.url, headers: req.headers }));
		} else if (url.pathname.startsWith('/status/')) {
			const code = Number(url.pathname.split('/')[2]);
			res.writeHead(code, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { code, message: 'rejected by test server' } }));
		} else if (url.pathname === '/video') {
			void writeInChunks(res, videoBytes(Number(url.searchParams.get('bytes'))));
		} else if (url.pathname === '/hang') {
			onHang?.(res);
		} else {
			res.writeHead(404).end();
		}
	};

	const server = createServer(handle);
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		videoBytes,
		expectHangingRequest: () => {
			let response: ServerResponse | undefined;
			let closed = false;
			let markArrived: () => void = () => {};
			let markClosed: () => void = () => {};
			const hang: HangingRequest = {
				arrived: new Promise<void>((resolve) => (markArrived = resolve)),
				closed: new Promise<void>((resolve) => (markClosed = resolve)),
				isClosed: () => closed,
				release: () =>
					response?.writeHead(200, { 'content-type': 'application/json' }).end('{"released":true}'),
			};
			onHang = (res) => {
				response = res;
				res.socket?.once('close', () => {
					closed = true;
					markClosed();
				});
				markArrived();
			};
			return hang;
		},
		close: async () => {
			server.closeAllConnections();
			server.close();
			await once(server, 'close');
		},
	};
}
