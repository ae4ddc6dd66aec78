import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time check of what a caller proves it knows (a URL token, a signature). Both sides
 * are hashed to SHA-256 first, so the comparison always runs over 32 equal-length bytes:
 * timingSafeEqual needs equal lengths, and comparing digests leaks neither the expected value
 * nor its length.
 */
export function secretsMatch(expected: string | Buffer, received: string | Buffer): boolean {
	const expectedDigest = createHash('sha256').update(expected).digest();
	const receivedDigest = createHash('sha256').update(received).digest();
	return timingSafeEqual(expectedDigest, receivedDigest);
}
