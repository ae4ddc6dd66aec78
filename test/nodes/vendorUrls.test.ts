/**
 * URLs a vendor's answer hands the node (a result video, JoggAI's signed upload URL) are fetched
 * only when they are http(s) on a public host or on the credential's own Base URL host. The
 * "private" host here is another loopback address, 127.0.0.2, with a server that counts what
 * reaches it; the sandbox's `fileUrlBase` makes the vendor answer with it.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { makeBinaryInputItem } from '../harness';
import { FIXTURE } from '../sandbox';
import { audioFor, jsonOf, runVendor, useNodeSandbox } from './nodeKit';

const sb = useNodeSandbox();

/** A file server on `host` that answers every request with the fixture video; `hits` counts them. */
async function fileServer(host: string, headers: Record<string, string> = { 'content-type': 'video/mp4' }, redirectTo?: string) {
	let hits = 0;
	const server: Server = createServer((req, res) => {
		hits += 1;
		req.resume();
		if (redirectTo) {
			res.writeHead(302, { location: `${redirectTo}${req.url}` }).end();
			return;
		}
		res.writeHead(200, { ...headers, 'content-length': String(FIXTURE.length) });
		res.end(FIXTURE);
	});
	server.listen(0, host);
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		base: `http://${host}:${port}`,
		hits: () => hits,
		close: async () => {
			server.closeAllConnections();
			server.close();
			await once(server, 'close');
		},
	};
}

describe('result downloads', () => {
	it('a result URL on a private address (127.0.0.2) is refused with the reason, and no request reaches it', async () => {
		const privateHost = await fileServer('127.0.0.2');
		try {
			sb.setOptions({ fileUrlBase: privateHost.base });
			const result = await runVendor(sb, 'modellix', {
				operation: 'createAndWait',
				inputItems: [{ json: { audio: audioFor(0) } }],
				options: { downloadVideo: true },
				continueOnFail: true,
			});
			const [row] = jsonOf(result);
			expect(row.status).toBe('succeeded');
			expect(JSON.stringify(row)).toMatch(/127\.0\.0\.2 is this machine \(loopback\).*only public hosts/);
			expect(result.output![0][0].binary).toBeUndefined();
			expect(privateHost.hits()).toBe(0);
		} finally {
			await privateHost.close();
		}
	});

	it('a result link that redirects to a private address (127.0.0.2) is refused at the redirect; nothing reaches that address', async () => {
		const privateHost = await fileServer('127.0.0.2');
		// On the credential's Base URL host (127.0.0.1), so the link itself is allowed.
		const redirecting = await fileServer('127.0.0.1', undefined, privateHost.base);
		try {
			sb.setOptions({ fileUrlBase: redirecting.base });
			const result = await runVendor(sb, 'modellix', {
				operation: 'createAndWait',
				inputItems: [{ json: { audio: audioFor(0) } }],
				options: { downloadVideo: true },
				continueOnFail: true,
			});
			expect(redirecting.hits()).toBe(1);
			expect(privateHost.hits()).toBe(0);
			expect(JSON.stringify(jsonOf(result)[0])).toMatch(/redirected to a URL that was not requested: its host 127\.0\.0\.2 is this machine/);
			expect(result.output![0][0].binary).toBeUndefined();
		} finally {
			await Promise.all([privateHost.close(), redirecting.close()]);
		}
	});

	it('a redirect to an allowed host is followed and the video downloaded', async () => {
		const target = await fileServer('127.0.0.1');
		const redirecting = await fileServer('127.0.0.1', undefined, target.base);
		try {
			sb.setOptions({ fileUrlBase: redirecting.base });
			const result = await runVendor(sb, 'modellix', {
				operation: 'createAndWait',
				inputItems: [{ json: { audio: audioFor(0) } }],
				options: { downloadVideo: true },
			});
			expect(result.error).toBeUndefined();
			expect([redirecting.hits(), target.hits()]).toEqual([1, 1]);
			expect(result.output![0][0].binary?.data).toMatchObject({ mimeType: 'video/mp4' });
		} finally {
			await Promise.all([target.close(), redirecting.close()]);
		}
	});

	it('a result video answered without a Content-Type is refused like a wrong one', async () => {
		// Same host as the credential's Base URL (127.0.0.1), so the URL itself is allowed.
		const noType = await fileServer('127.0.0.1', {});
		try {
			sb.setOptions({ fileUrlBase: noType.base });
			const result = await runVendor(sb, 'modellix', {
				operation: 'createAndWait',
				inputItems: [{ json: { audio: audioFor(0) } }],
				options: { downloadVideo: true },
				continueOnFail: true,
			});
			expect(noType.hits()).toBe(1);
			expect(JSON.stringify(jsonOf(result)[0])).toMatch(/answered with no Content-Type, not a video/);
			expect(result.output![0][0].binary).toBeUndefined();
		} finally {
			await noType.close();
		}
	});
});

describe('JoggAI signed upload URL', () => {
	it('an upload URL on a private address (127.0.0.2) is refused: nothing is uploaded, no job is created', async () => {
		const privateHost = await fileServer('127.0.0.2');
		const dir = await mkdtemp(path.join(tmpdir(), 'lipsync-private-upload-'));
		const file = path.join(dir, 'presenter.mp4');
		await writeFile(file, FIXTURE);
		try {
			sb.setOptions({ fileUrlBase: privateHost.base });
			const item = await makeBinaryInputItem({ audio: audioFor(0) }, { filePath: file, mimeType: 'video/mp4' });
			const result = await runVendor(sb, 'joggai', {
				operation: 'createAndWait',
				inputItems: [item],
				parameters: { videoSource: 'binary', videoBinaryProperty: 'data' },
				continueOnFail: true,
			});
			expect(JSON.stringify(result.error ?? jsonOf(result))).toMatch(/signed upload URL.*127\.0\.0\.2 is this machine/);
			expect(privateHost.hits()).toBe(0);
			expect(sb.log.count({ vendor: 'joggai', endpoint: 'create' })).toBe(0);
		} finally {
			await privateHost.close();
		}
	});
});
