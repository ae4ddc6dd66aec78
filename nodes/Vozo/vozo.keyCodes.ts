import type { VendorErrorKind } from '../shared/adapter';

/**
 * Vozo's documented codes that refuse the API key itself, in one place: the credential test
 * (credentials/VozoApi.credentials.ts) fails on them with `refusal`, and the adapter's error table
 * maps them to `kind` with `hint`. (Vozo's `code` is a string; the keys are its digits.)
 */
export const VOZO_KEY_CODES: Record<string, { kind: VendorErrorKind; refusal: string; hint: string }> = {
	7: {
		kind: 'permission',
		refusal: 'Vozo: this API key has no permission (code 7)',
		hint: 'The API key has no permission for this action. Check the key in the Vozo dashboard.',
	},
	814: {
		kind: 'permission',
		refusal: 'Vozo: the account of this API key is not a member (code 814)',
		hint: 'The key belongs to an account that is not a member of the Vozo team. Ask the team owner to add it, or use a key of a member.',
	},
	1302: {
		kind: 'auth',
		refusal: 'Vozo: this API key has been revoked (code 1302)',
		hint: 'The Vozo API key was revoked. Create a new key in the Vozo dashboard and update the credential.',
	},
	1305: {
		kind: 'permission',
		refusal: 'Vozo: the API is available on the business plan only (code 1305)',
		hint: 'The Vozo API is available on the Business plan only. Upgrade the plan in the Vozo dashboard.',
	},
	1503: {
		kind: 'permission',
		refusal: 'Vozo: this API key is not authorized for the API (code 1503)',
		hint: 'This account is not authorized for the Vozo API. Ask Vozo to enable API access for it.',
	},
};
