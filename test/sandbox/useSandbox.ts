import { startSandbox, type Sandbox, type SandboxOptions } from './index';

/**
 * The sandbox of one test file: started before its tests, reset after each test, closed after
 * the last. The returned object stands for it (each property is read from the running sandbox),
 * so a file declares it once at the top instead of repeating the three hooks.
 */
export function useSandbox(options: SandboxOptions): Sandbox {
	let running: Sandbox | undefined;
	beforeAll(async () => {
		running = await startSandbox(options);
	});
	afterEach(() => running?.reset());
	afterAll(async () => await running?.close());
	return new Proxy({} as Sandbox, {
		get(_target, property) {
			if (!running) throw new Error('the sandbox starts in beforeAll: use it inside a test or hook');
			const value: unknown = Reflect.get(running, property);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(running) : value;
		},
	});
}
