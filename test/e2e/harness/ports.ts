import { createServer } from 'node:net';

// Ports handed out in this process: the OS may offer a just-closed port again before the
// process we gave it to has bound it.
const handedOut = new Set<number>();

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = createServer();
			server.unref();
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
			});
		});
		if (port && !handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error('no free port found on 127.0.0.1');
}
