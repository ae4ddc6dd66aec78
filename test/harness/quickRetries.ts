import { defaultEngineDeps, defaultRetryPolicy } from '../../nodes/shared/transport';

/**
 * Call at the top of a test file that runs the engine through n8n (runNode, trigger contexts):
 * there the engine runs on the real clock with its default deps, and a status call that meets a
 * 5xx would pause 1 s, 2 s, 4 s… before its retries. This file's tests keep every retry but pause
 * milliseconds. The retry policy itself (attempts, backoff, Retry-After, deadline) is proven on
 * the virtual clock in test/engine/transport.test.ts; a vendor's Retry-After is still honoured.
 */
export function useQuickRetries(): void {
	const saved = defaultEngineDeps.retry;
	beforeAll(() => {
		defaultEngineDeps.retry = { ...defaultRetryPolicy, baseDelayMs: 20, maxDelayMs: 100 };
	});
	afterAll(() => {
		defaultEngineDeps.retry = saved;
	});
}
