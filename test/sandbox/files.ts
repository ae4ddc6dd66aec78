/** Video files: the fixture MP4, padded MP4s of any size, result downloads, uploaded assets. */
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { createGzip } from 'node:zlib';
import type { FaultKind } from './faults';
import type { Ctx, Route } from './http';
import type { Vendor } from './options';

export const FIXTURE_PATH = join(__dirname, 'fixtures', 'sample.mp4');
/** 64x64, 1 s, H.264 + AAC; small enough to keep in memory. */
export const FIXTURE = readFileSync(FIXTURE_PATH);

const ZEROS = Buffer.alloc(64 * 1024);
const MAX_32 = 0xffffffff;

/** Bytes the padded MP4 can have: the fixture alone, or fixture + a `free` box of ≥ 8 bytes. */
export function isServableSize(total: number): boolean {
	return Number.isSafeInteger(total) && (total === FIXTURE.length || total >= FIXTURE.length + 8);
}

/** The fixture followed by a `free` box so the whole file is exactly `total` bytes (still valid MP4). */
export function paddedVideoStream(total: number): Readable {
	const padding = total - FIXTURE.length;
	function* chunks(): Generator<Buffer> {
		yield FIXTURE;
		if (padding <= 0) return;
		let header: Buffer;
		if (padding <= MAX_32) {
			header = Buffer.alloc(8);
			header.writeUInt32BE(padding, 0);
			header.write('free', 4, 'latin1');
		} else {
			header = Buffer.alloc(16);
			header.writeUInt32BE(1, 0); // size 1: a 64-bit largesize follows the type
			header.write('free', 4, 'latin1');
			header.writeBigUInt64BE(BigInt(padding), 8);
		}
		yield header;
		let left = padding - header.length;
		while (left > 0) {
			const n = Math.min(left, ZEROS.length);
			yield n === ZEROS.length ? ZEROS : ZEROS.subarray(0, n);
			left -= n;
		}
	}
	return Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
}

/** Streams a video of `total` bytes (the fixture when null); HEAD gets headers only. */
export async function sendVideo(ctx: Ctx, total: number | null): Promise<void> {
	const size = total ?? FIXTURE.length;
	if (!isServableSize(size)) {
		ctx.text(400, `size must be ${FIXTURE.length} or at least ${FIXTURE.length + 8}\n`);
		return;
	}
	const fault = ctx.core.faults.take(ctx.entry.vendor, 'download', DOWNLOAD_FAULTS);
	if (fault) ctx.entry.fault = fault.kind;
	if (fault?.kind === 'wrongType') {
		ctx.text(200, '<!doctype html><html><body><h1>Sign in to continue</h1></body></html>\n', 'text/html; charset=utf-8');
		return;
	}
	const gzip = fault?.kind === 'unannounced' && fault.gzip === true;
	const chunked = (fault?.kind === 'shortBody' && fault.chunked === true) || fault?.kind === 'unannounced';
	ctx.res.writeHead(200, {
		'content-type': 'video/mp4',
		...(chunked ? {} : { 'content-length': size }),
		...(gzip ? { 'content-encoding': 'gzip' } : {}),
		'accept-ranges': 'none',
	});
	if (ctx.req.method === 'HEAD') {
		ctx.res.end();
		return;
	}
	if (fault?.kind === 'shortBody') {
		// Part of the file, then the connection dies: the reader must notice the missing bytes.
		const sent = Math.max(1, Math.min(size - 1, fault.bytes ?? Math.floor(size / 2)));
		await pipeline(paddedVideoStream(size), new Truncate(sent), ctx.res, { end: false }).catch(() => undefined);
		ctx.res.destroy();
		return;
	}
	const source = paddedVideoStream(size);
	const paced = fault?.kind === 'trickle' ? trickle(source, fault.chunkBytes ?? 1024, fault.delayMs ?? 200) : source;
	const sent = new CountBytes(ctx.entry);
	const sending = gzip ? pipeline(paced, createGzip(), sent, ctx.res) : pipeline(paced, sent, ctx.res);
	await sending.catch(() => undefined); // the client went away
}

/** Counts the body bytes handed to the connection into the log entry (`bodyBytesSent`). */
class CountBytes extends Transform {
	constructor(private readonly entry: { bodyBytesSent?: number }) {
		super();
		entry.bodyBytesSent = 0;
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		this.entry.bodyBytesSent = (this.entry.bodyBytesSent ?? 0) + chunk.length;
		done(null, chunk);
	}
}

/** Faults that change how a download is answered (target: the vendor, or 'files'). */
const DOWNLOAD_FAULTS = new Set<FaultKind>(['shortBody', 'trickle', 'wrongType', 'unannounced']);

/** Passes the first `limit` bytes and swallows the rest. */
class Truncate extends Transform {
	private left: number;

	constructor(limit: number) {
		super();
		this.left = limit;
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		if (this.left > 0) {
			const part = chunk.subarray(0, this.left);
			this.left -= part.length;
			this.push(part);
		}
		done();
	}
}

/** The same bytes, `chunkBytes` at a time, one chunk every `delayMs`: a server that never quite stalls. */
function trickle(source: Readable, chunkBytes: number, delayMs: number): Readable {
	async function* paced(): AsyncGenerator<Buffer> {
		for await (const chunk of source as AsyncIterable<Buffer>) {
			for (let at = 0; at < chunk.length; at += chunkBytes) {
				yield chunk.subarray(at, at + chunkBytes);
				await new Promise((resolve) => setTimeout(resolve, delayMs));
			}
		}
	}
	return Readable.from(paced(), { objectMode: false });
}

const s3Error = (code: string, message: string): string =>
	`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`;

/** `GET {prefix}/results/{jobId}.mp4?token=…` — the result URL a status answer hands out. */
export function resultRoute(vendor: Vendor): Route {
	return {
		method: 'GET',
		path: '/results/:file',
		endpoint: 'download',
		kind: 'download',
		auth: false,
		handler: async (ctx) => {
			const id = ctx.params.file.replace(/\.mp4$/, '');
			const job = ctx.core.jobs.get(vendor, id);
			if (!job || job.phase !== 'succeeded') {
				ctx.text(404, s3Error('NoSuchKey', 'The specified key does not exist.'), 'application/xml');
				return;
			}
			const token = ctx.core.jobs.findToken(job, ctx.url.searchParams.get('token') ?? '');
			if (!token) {
				ctx.text(403, s3Error('AccessDenied', 'Invalid signature'), 'application/xml');
				return;
			}
			const expiring = ctx.core.faults.peek(vendor, 'download', 'expiringUrls');
			const expired =
				expiring &&
				(token.index <= (expiring.staleUrls ?? 1) ||
					(expiring.ttlMs !== undefined && Date.now() - token.mintedAt > expiring.ttlMs));
			if (expired) {
				ctx.core.faults.take(vendor, 'download', 'expiringUrls');
				ctx.entry.fault = 'expiringUrls';
				ctx.text(403, s3Error('AccessDenied', 'Request has expired'), 'application/xml');
				return;
			}
			await sendVideo(ctx, ctx.core.options().resultVideoBytes);
		},
	};
}

export interface Asset {
	id: string;
	filename: string;
	/** Declared at `POST /v2/upload/asset`. */
	declaredContentType: string;
	declaredSize?: number;
	signature: string;
	uploaded: boolean;
	/** What the PUT actually carried. */
	size?: number;
	contentType?: string;
	file: string;
}

/** Uploaded bytes go to a temp file as they arrive; nothing is held in memory. */
export class UploadStore {
	private dir: string | undefined;
	private assets = new Map<string, Asset>();

	create(filename: string, contentType: string, declaredSize?: number): Asset {
		this.dir ??= mkdtempSync(join(tmpdir(), 'lipsync-sandbox-'));
		const id = randomUUID();
		const asset: Asset = {
			id,
			filename,
			declaredContentType: contentType,
			declaredSize,
			signature: randomBytes(16).toString('hex'),
			uploaded: false,
			file: join(this.dir, id),
		};
		this.assets.set(id, asset);
		return asset;
	}

	get(id: string): Asset | undefined {
		return this.assets.get(id);
	}

	list(): Asset[] {
		return [...this.assets.values()];
	}

	/** Streams the request body into the asset's file; returns the byte count. */
	async receive(ctx: Ctx, asset: Asset): Promise<number> {
		await pipeline(ctx.req, createWriteStream(asset.file));
		asset.size = (await stat(asset.file)).size;
		asset.contentType = ctx.req.headers['content-type'] ?? 'application/octet-stream';
		asset.uploaded = true;
		return asset.size;
	}

	async serve(ctx: Ctx, asset: Asset): Promise<void> {
		ctx.res.writeHead(200, {
			'content-type': asset.contentType ?? asset.declaredContentType,
			'content-length': asset.size ?? 0,
		});
		if (ctx.req.method === 'HEAD') {
			ctx.res.end();
			return;
		}
		await pipeline(createReadStream(asset.file), ctx.res).catch(() => undefined);
	}

	async clear(): Promise<void> {
		const files = [...this.assets.values()].map((a) => a.file);
		this.assets.clear();
		await Promise.all(files.map((file) => unlink(file).catch(() => undefined)));
	}

	close(): void {
		this.assets.clear();
		if (this.dir) rmSync(this.dir, { recursive: true, force: true });
		this.dir = undefined;
	}
}

const COVER = readFileSync(join(__dirname, 'fixtures', 'cover.jpg'));

/** `GET {prefix}/covers/{jobId}.jpg` — a small JPEG for the vendors that report a cover. */
export function coverRoute(): Route {
	return {
		method: 'GET',
		path: '/covers/:file',
		endpoint: 'cover',
		kind: 'download',
		auth: false,
		handler: (ctx) => {
			ctx.res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': COVER.length });
			ctx.res.end(ctx.req.method === 'HEAD' ? undefined : COVER);
		},
	};
}
