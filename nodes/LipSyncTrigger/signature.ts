import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time checks for what callers prove they know. Both sides are hashed to SHA-256
 * first, so the comparison always runs over 32 equal-length bytes: timingSafeEqual needs equal
 * lengths, and comparing digests leaks neither the expected value nor its length.
 */
export function secretsMatch(expected: string | Buffer, received: string | Buffer): boolean {
	const expectedDigest = createHash('sha256').update(expected).digest();
	const receivedDigest = createHash('sha256').update(received).digest();
	return timingSafeEqual(expectedDigest, receivedDigest);
}

/** JoggAI's delivery signature: hex HMAC-SHA256 of the raw request body, keyed by the endpoint secret. */
export function joggAiSignature(secret: string, rawBody: Buffer): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Whether `X-Webhook-Signature` signs exactly these body bytes. It must be given the bytes as
 * received: JSON parsed and serialized again differs in spacing, key order or escapes, and
 * would fail the check for a genuine delivery (or pass one the vendor never signed).
 */
export function isValidJoggAiSignature(
	secret: string,
	rawBody: Buffer,
	signatureHeader: string | undefined,
): boolean {
	if (!secret || !signatureHeader) return false;
	// Tolerate a `sha256=` prefix and upper-case hex, which some senders use.
	const received = signatureHeader.trim().replace(/^sha256=/i, '').toLowerCase();
	return secretsMatch(joggAiSignature(secret, rawBody), received);
}
