import { baseUrlProblem, headerValue, isLoopbackHost, rateLimitResetMs, retryAfterMs, retryDelayFromHeaders } from '../../nodes/shared/http';

const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('HTTP helpers', () => {
	it('reads a header whatever its case, first value of a list', () => {
		expect(headerValue({ 'Retry-After': '5' }, 'retry-after')).toBe('5');
		expect(headerValue({ 'x-request-id': ['a', 'b'] }, 'X-Request-Id')).toBe('a');
		expect(headerValue({ 'content-length': 12 }, 'content-length')).toBe('12');
		expect(headerValue(undefined, 'x')).toBeUndefined();
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		expect(retryAfterMs('7', NOW)).toBe(7_000);
		expect(retryAfterMs(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
		expect(retryAfterMs('soon', NOW)).toBeUndefined();
	});

	it('reads X-RateLimit-Reset as seconds from now below 1e9, else as unix seconds or milliseconds', () => {
		expect(rateLimitResetMs('30', NOW)).toBe(30_000);
		expect(rateLimitResetMs('0.5', NOW)).toBe(500);
		expect(rateLimitResetMs(String((NOW + 45_000) / 1000), NOW)).toBe(45_000);
		expect(rateLimitResetMs(String(NOW + 12_000), NOW)).toBe(12_000);
		// Never a negative wait, and nothing for a value that is not a number.
		expect(rateLimitResetMs(String((NOW - 5_000) / 1000), NOW)).toBe(0);
		expect(rateLimitResetMs('soon', NOW)).toBeUndefined();
		expect(rateLimitResetMs(undefined, NOW)).toBeUndefined();
	});

	it('prefers Retry-After over X-RateLimit-Reset', () => {
		expect(retryDelayFromHeaders({ 'retry-after': '3', 'x-ratelimit-reset': '30' }, NOW)).toBe(3_000);
		expect(retryDelayFromHeaders({ 'x-ratelimit-reset': '30' }, NOW)).toBe(30_000);
	});

	it('allows plain http only to this machine', () => {
		expect(baseUrlProblem('https://api.jogg.ai')).toBeUndefined();
		expect(baseUrlProblem('http://127.0.0.1:4010/vozo')).toBeUndefined();
		expect(baseUrlProblem('http://localhost:4010')).toBeUndefined();
		expect(baseUrlProblem('http://[::1]:4010')).toBeUndefined();
		expect(baseUrlProblem('http://api.jogg.ai')).toContain('https');
		expect(baseUrlProblem('not a url')).toContain('not a valid URL');
		expect(isLoopbackHost('127.8.9.10')).toBe(true);
		expect(isLoopbackHost('10.0.0.1')).toBe(false);
	});
});
