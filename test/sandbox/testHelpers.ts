/** Helpers for the sandbox's own tests: real HTTP calls and a local webhook receiver. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { IAuthenticateGeneric } from 'n8n-workflow';

import { adapterOf } from '../registry/registeredNodes';
import type { Sandbox, Vendor } from './index';

export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

export interface CallOptions {
	method?: string;
	body?: unknown;
	/** The API key; defaults to the demo key; null sends none. */
	key?: string | null;
	headers?: Record<string, string>;
}

/** The headers the vendor's credential (its generic `authenticate`) sends for a key. */
function authHeaders(vendor: Vendor, key: string): Record<string, string> {
	const authenticate = adapterOf(vendor).credentialType.authenticate as IAuthenticateGeneric;
	const headers = Object.entries(authenticate.properties.headers ?? {});
	return Object.fromEntries(headers.map(([name, value]) => [name, String(value).replace(/^=/, '').replace('{{$credentials.apiKey}}', key)]));
}

/** Calls `${baseUrl(vendor)}${path}` with the vendor's auth header. */
export async function call(sb: Sandbox, vendor: Vendor, path: string, options: CallOptions = {}): Promise<CallResult> {
	const key = options.key === undefined ? sb.keys[vendor] : options.key;
	const headers: Record<string, string> = { ...options.headers };
	if (key !== null) Object.assign(headers, authHeaders(vendor, key));
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	return fetchResult(`${sb.baseUrl(vendor)}${path}`, {
		method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
}

export async function fetchResult(url: string, init?: RequestInit): Promise<CallResult> {
	const res = await fetch(url, init);
	const text = await res.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000, everyMs = 20): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`waitFor: timed out after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ReceivedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	rawBody: string;
	time: number;
}

/** A local HTTP server that records what it receives and answers with `respond(n)` (default 200);
 * 'hang' never answers (the sender's timeout applies). */
export async function startReceiver(respond: (index: number) => number | 'hang' = () => 200) {
	const requests: ReceivedRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			requests.push({
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				rawBody: Buffer.concat(chunks).toString('utf8'),
				time: Date.now(),
			});
			const status = respond(requests.length - 1);
			if (status === 'hang') return;
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () => {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Polls a vendor status until `done(body)` holds; returns every status word seen, in order. */
export async function pollUntil(
	read: () => Promise<CallResult>,
	word: (res: CallResult) => string,
	terminal: string[],
	timeoutMs = 5000,
): Promise<{ seen: string[]; last: CallResult }> {
	const seen: string[] = [];
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const last = await read();
		const status = word(last);
		if (seen.at(-1) !== status) seen.push(status);
		if (terminal.includes(status)) return { seen, last };
		if (Date.now() > deadline) throw new Error(`pollUntil: still ${status} after ${timeoutMs} ms`);
		await sleep(25);
	}
}

/**
 * Downloads a URL over a raw socket that reads into one reused buffer, so the client itself
 * allocates nothing per chunk: memory growth seen during the download is the server's.
 */
export function downloadWithoutGarbage(url: string, onChunk?: () => void): Promise<{ headers: string; bodyBytes: number }> {
	const { hostname, port, pathname, search } = new URL(url);
	return new Promise((resolve, reject) => {
		let head = '';
		let headerDone = false;
		let bodyBytes = 0;
		const readBuffer = Buffer.alloc(64 * 1024);
		const socket = connect({
			host: hostname,
			port: Number(port),
			onread: {
				buffer: readBuffer,
				callback: (n) => {
					if (headerDone) bodyBytes += n;
					else {
						head += readBuffer.toString('latin1', 0, n);
						const end = head.indexOf('\r\n\r\n');
						if (end >= 0) {
							headerDone = true;
							bodyBytes = head.length - end - 4;
							head = head.slice(0, end);
						}
					}
					onChunk?.();
					return true;
				},
			},
		});
		socket.on('connect', () => socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
		socket.on('error', reject);
		socket.on('close', () => resolve({ headers: head, bodyBytes }));
	});
}
