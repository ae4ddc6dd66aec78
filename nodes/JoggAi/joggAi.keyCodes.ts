import type { VendorErrorKind } from '../shared/adapter';

export const JOGGAI_DASHBOARD_URL = 'https://app.jogg.ai';

/**
 * JoggAI's documented envelope codes that refuse the API key itself, in one place: the
 * credential test (credentials/JoggAiApi.credentials.ts) fails on them with `refusal`, and the
 * adapter's error table maps them to `kind` with `hint`.
 */
export const JOGGAI_KEY_CODES: Record<number, { kind: VendorErrorKind; refusal: string; hint: string }> = {
	10105: {
		kind: 'auth',
		refusal: 'JoggAI rejected the API key (code 10105)',
		hint: `The JoggAI API key is invalid. Copy the key from ${JOGGAI_DASHBOARD_URL} and update the credential.`,
	},
	18025: {
		kind: 'permission',
		refusal: 'This JoggAI key has no API permission (code 18025)',
		hint: 'This JoggAI account has no API permission. API access needs a JoggAI plan that includes it.',
	},
};
