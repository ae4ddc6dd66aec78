import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ports';
import { spawnLogged, type ManagedProcess } from './processes';
import { waitFor } from './wait';
import { connect } from 'node:net';

function redisServerBinary(): string {
	const find = () => execFileSync('bash', ['-c', 'command -v redis-server || true'], { encoding: 'utf8' }).trim();
	let bin = find();
	if (!bin) {
		// Debian's redis; only the queue-mode tests need it, so it is installed on first use.
		execFileSync('bash', ['-c', 'apt-get install -y redis-server || (apt-get update && apt-get install -y redis-server)'], {
			stdio: ['ignore', 'ignore', 'inherit'],
			timeout: 10 * 60_000,
		});
		bin = find();
		if (!bin) throw new Error('redis-server is missing and could not be installed with apt-get');
	}
	return bin;
}

function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.setTimeout(2_000);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

/** A private, memory-only redis on a free loopback port (queue mode's job queue). */
export async function startRedis(dir: string): Promise<{ port: number; process: ManagedProcess }> {
	const port = await freePort();
	const proc = spawnLogged(
		'redis-server',
		redisServerBinary(),
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
		{ cwd: dir, env: { PATH: process.env.PATH }, logFile: join(dir, 'redis.log') },
	);
	await waitFor(`redis on port ${port}`, async () => ((await ping(port)) ? true : undefined), {
		timeoutMs: 15_000,
		process: proc,
	});
	return { port, process: proc };
}
