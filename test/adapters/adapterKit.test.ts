import { resetAtMs } from '../../nodes/shared/adapterKit';

describe('resetAtMs (X-RateLimit-Reset)', () => {
	const now = Date.UTC(2026, 0, 1);

	it('reads a small value as seconds from now: "30" is 30 s, not the past', () => {
		expect(resetAtMs('30', now)).toBe(30_000);
		expect(resetAtMs('0.5', now)).toBe(500);
	});

	it('reads values from 1e9 as unix seconds and from 1e12 as unix milliseconds', () => {
		expect(resetAtMs(String(now / 1000 + 45), now)).toBe(45_000);
		expect(resetAtMs(String(now + 2_000), now)).toBe(2_000);
	});

	it('never gives a negative wait, and nothing for a value that is not a number', () => {
		expect(resetAtMs(String(now / 1000 - 10), now)).toBe(0);
		expect(resetAtMs('soon', now)).toBeUndefined();
		expect(resetAtMs(undefined, now)).toBeUndefined();
	});
});
