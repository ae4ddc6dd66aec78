/** Video files: the fixture, padded MP4s of any size (streamed), result padding, JoggAI uploads. */
import { Readable } from 'node:stream';
import { request } from 'undici';
import { FIXTURE, startSandbox, type Sandbox } from './index';
import { call, downloadWithoutGarbage, pollUntil } from './testHelpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 150, jitterMs: 0 });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const MB = 1024 * 1024;

test('the fixture is a small MP4 with ftyp and moov boxes', () => {
	expect(FIXTURE.length).toBeLessThan(50 * 1024);
	expect(FIXTURE.subarray(4, 8).toString('latin1')).toBe('ftyp');
	expect(FIXTURE.includes(Buffer.from('moov'))).toBe(true);
});

test('/files/video.mp4?size=N is exactly N bytes: the fixture then a free box', async () => {
	const size = FIXTURE.length + 1000;
	const res = await fetch(sb.videoUrl(size));
	expect(res.headers.get('content-type')).toBe('video/mp4');
	expect(res.headers.get('content-length')).toBe(String(size));
	const bytes = Buffer.from(await res.arrayBuffer());
	expect(bytes.length).toBe(size);
	expect(bytes.subarray(0, FIXTURE.length).equals(FIXTURE)).toBe(true);
	expect(bytes.readUInt32BE(FIXTURE.length)).toBe(1000);
	expect(bytes.subarray(FIXTURE.length + 4, FIXTURE.length + 8).toString('latin1')).toBe('free');
	expect(Buffer.from(await (await fetch(sb.videoUrl())).arrayBuffer()).equals(FIXTURE)).toBe(true);
	expect((await fetch(sb.videoUrl(FIXTURE.length + 3))).status).toBe(400);
	expect((await fetch(sb.videoUrl(10))).status).toBe(400);
});

test('sizes beyond 4 GiB use a 64-bit free box; HEAD answers the length', async () => {
	const size = 5 * 1024 * MB;
	const head = await fetch(sb.videoUrl(size), { method: 'HEAD' });
	expect([head.status, head.headers.get('content-length')]).toEqual([200, String(size)]);
	const res = await request(sb.videoUrl(size));
	const chunks: Buffer[] = [];
	let got = 0;
	for await (const chunk of res.body) {
		chunks.push(chunk as Buffer);
		got += (chunk as Buffer).length;
		if (got >= FIXTURE.length + 16) break;
	}
	res.body.destroy();
	const start = Buffer.concat(chunks);
	expect(start.readUInt32BE(FIXTURE.length)).toBe(1);
	expect(start.subarray(FIXTURE.length + 4, FIXTURE.length + 8).toString('latin1')).toBe('free');
	expect(start.readBigUInt64BE(FIXTURE.length + 8)).toBe(BigInt(size - FIXTURE.length));
});

test('a 50 MB video streams through without the server holding it in memory', async () => {
	const size = 50 * MB;
	// Buffers live outside the JS heap (arrayBuffers); a server that held the video would grow it
	// by 50 MB. RSS is not used: jest's own instrumentation (--detectOpenHandles) inflates it.
	const before = process.memoryUsage().arrayBuffers;
	let peak = before;
	// the client reads into one reused buffer, so growth here would be the server's
	const { headers, bodyBytes } = await downloadWithoutGarbage(sb.videoUrl(size), () => {
		peak = Math.max(peak, process.memoryUsage().arrayBuffers);
	});
	expect(headers).toMatch(/^HTTP\/1\.1 200/);
	expect(headers.toLowerCase()).toContain(`content-length: ${size}`);
	expect(bodyBytes).toBe(size);
	expect(peak - before).toBeLessThan(10 * MB);
});

test('resultVideoBytes pads result downloads', async () => {
	sb.setOptions({ resultVideoBytes: 2 * MB });
	const id = (await call(sb, 'modellix', '/api/v1/vidu/lip-sync/async', { body: { video_url: 'https://x.test/v.mp4' } })).json.data.task_id;
	const { last } = await pollUntil(() => call(sb, 'modellix', `/api/v1/tasks/${id}`), (r) => r.json.data.status, ['success']);
	const res = await fetch(last.json.data.result.resources[0].url);
	expect((await res.arrayBuffer()).byteLength).toBe(2 * MB);
});

describe('JoggAI upload', () => {
	const ask = (body: object) => call(sb, 'joggai', '/v2/upload/asset', { body });

	test('POST upload/asset → PUT sign_url (streamed) → asset_url serves the bytes', async () => {
		const size = 3 * MB + 17;
		const { sign_url, asset_url } = (await ask({ filename: 'face.mp4', content_type: 'video/mp4', file_size: size })).json.data;
		expect(sign_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
		let sent = 0;
		const body = Readable.from(
			(function* () {
				while (sent < size) {
					const n = Math.min(64 * 1024, size - sent);
					sent += n;
					yield Buffer.alloc(n, sent % 251);
				}
			})(),
		);
		const put = await request(sign_url, { method: 'PUT', body, headers: { 'content-type': 'video/mp4', 'content-length': String(size) } });
		await put.body.dump();
		expect(put.statusCode).toBe(200);
		const entry = sb.log.entries({ endpoint: 'upload-put' })[0];
		expect(entry).toMatchObject({ vendor: 'joggai', method: 'PUT', statusCode: 200, requestBody: { bytes: size, contentType: 'video/mp4' } });
		const asset = await fetch(asset_url);
		expect(asset.headers.get('content-type')).toBe('video/mp4');
		expect((await asset.arrayBuffer()).byteLength).toBe(size);
	});

	test('a wrong signature is refused; oversize and missing fields are 40000', async () => {
		const { sign_url } = (await ask({ filename: 'a.mp3', content_type: 'audio/mpeg' })).json.data;
		const put = await fetch(sign_url.replace(/signature=\w+/, 'signature=nope'), { method: 'PUT', body: 'x' });
		expect(put.status).toBe(403);
		expect((await ask({ filename: 'a.mp3', content_type: 'audio/mpeg', file_size: 21 * MB })).json.code).toBe(40000);
		expect((await ask({ filename: 'v.mp4', content_type: 'video/mp4', file_size: 101 * MB })).json.code).toBe(40000);
		expect((await ask({ content_type: 'video/mp4' })).json.code).toBe(40000);
	});

	test('an asset_url is accepted as input; one never uploaded fails the job', async () => {
		const uploaded = (await ask({ filename: 'v.mp4', content_type: 'video/mp4' })).json.data;
		expect((await fetch(uploaded.sign_url, { method: 'PUT', body: FIXTURE, headers: { 'content-type': 'video/mp4' } })).status).toBe(200);
		const never = (await ask({ filename: 'a.wav', content_type: 'audio/wav' })).json.data;
		expect((await fetch(never.asset_url)).status).toBe(404);
		const run = async (audio: string) => {
			const id = (await call(sb, 'joggai', '/v2/create_lip_sync_video', { body: { video_url: uploaded.asset_url, audio_url: audio } })).json.data.task_id;
			return (await pollUntil(() => call(sb, 'joggai', `/v2/lip_sync_video/${id}`), (r) => r.json.data.status, ['success', 'failed'])).last.json.data;
		};
		expect((await run(uploaded.asset_url)).status).toBe('success');
		const failed = await run(never.asset_url);
		expect(failed.status).toBe('failed');
		expect(failed.error.message).toContain('not accessible');
	});
});
