/**
 * n8n's `GET /rest/binary-data/signed?token=…` (n8n 2.41's BinaryDataController.getSigned) for
 * harness runs, answered with n8n-core's own BinaryDataService: the token is checked with
 * `validateSignedToken`, the file streamed with `getAsStream`, Content-Type and Content-Length
 * from `getMetadata`; a bad token answers 400, a deleted file 404 — as n8n does. The real
 * route is exercised in test/e2e/binaryInputs.e2e.test.ts.
 */
import { Container } from '@n8n/di';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { BinaryDataService, FileNotFoundError } from 'n8n-core';

import { ensureN8nRuntime } from './runtime';

export interface SignedBinaryServer {
	/** The instance base URL this server stands in for (http://127.0.0.1:<port>). */
	url: string;
	/** Paths of every request, in order. */
	requests: string[];
	close(): Promise<void>;
}

export async function startSignedBinaryServer(): Promise<SignedBinaryServer> {
	await ensureN8nRuntime();
	const service = Container.get(BinaryDataService);
	const requests: string[] = [];
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		requests.push(url.pathname);
		if (req.method !== 'GET' || url.pathname !== '/rest/binary-data/signed') return void res.writeHead(404).end();
		void (async () => {
			let id: string;
			try {
				id = service.validateSignedToken(url.searchParams.get('token') ?? '');
			} catch (error) {
				return void res.writeHead(400).end((error as Error).message);
			}
			try {
				const metadata = await service.getMetadata(id);
				const stream = await service.getAsStream(id);
				res.writeHead(200, {
					'Content-Type': metadata.mimeType ?? 'application/octet-stream',
					'Content-Length': metadata.fileSize,
					'Content-Disposition': 'attachment',
				});
				await pipeline(stream, res);
			} catch (error) {
				if (!res.headersSent) res.writeHead(error instanceof FileNotFoundError ? 404 : 500).end();
				else res.destroy();
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
