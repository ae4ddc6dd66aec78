import type { VendorResponse } from '../../nodes/shared/adapter';
import type { CallResult } from '../sandbox/testHelpers';

/** A sandbox answer received over HTTP, in the shape the transport hands an adapter. */
export function vendorResponseOf(result: CallResult): VendorResponse {
	const headers: VendorResponse['headers'] = {};
	result.headers.forEach((value, name) => {
		headers[name] = value;
	});
	return { statusCode: result.status, headers, body: result.json ?? result.text };
}
