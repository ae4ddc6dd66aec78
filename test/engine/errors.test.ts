import { NodeOperationError } from 'n8n-workflow';

import { renderItemError, VendorFailure } from '../../nodes/shared/errors';
import { defaultRetryPolicy, openSession, vendorRequest } from '../../nodes/shared/transport';
import { FakeClock, fakeAdapter, fakeContext, fakeNode } from './fakes';

const KEY = 'sk-live-SECRET-0123456789';

async function caught(promise: Promise<unknown>): Promise<VendorFailure> {
	try {
		await promise;
	} catch (error) {
		return error as VendorFailure;
	}
	throw new Error('expected an error');
}

describe('error rendering', () => {
	it('says what to do per kind, with vendor code, request id and job id', () => {
		const credit = new VendorFailure(fakeNode, fakeAdapter, { kind: 'credit', message: 'Insufficient credits', code: 104, requestId: 'r-9', jobId: 'j-1' }, []);
		expect(credit.message).toBe(
			'Fakevendor: insufficient credit — top up at https://fake.example/billing ("Insufficient credits", code 104, request r-9, job j-1)',
		);
		expect(credit.description).toContain('Job id: j-1');
		const auth = new VendorFailure(fakeNode, fakeAdapter, { kind: 'auth', message: 'revoked', code: 1302 }, []);
		expect(auth.message).toContain('invalid or revoked API key — check the Fakevendor credential');
		const rate = new VendorFailure(fakeNode, fakeAdapter, { kind: 'rateLimit', message: '' }, []);
		expect(rate.message).toContain('rate limit');
		const network = new VendorFailure(fakeNode, fakeAdapter, { kind: 'network', message: 'no response', detail: 'ECONNRESET: read ECONNRESET' }, []);
		expect(network.message).toContain('could not reach Fakevendor'); // not replaced by n8n's generic ECONNRESET text
	});

	it('never shows the API key, even when the vendor echoes it or the HTTP error carries headers', async () => {
		const clock = new FakeClock();
		const socket = Object.assign(new Error(`connect failed for Bearer ${KEY}`), {
			config: { headers: { Authorization: `Bearer ${KEY}` } },
			cause: { code: 'ECONNRESET', message: `reset (auth ${KEY})`, config: { headers: { Authorization: `Bearer ${KEY}` } } },
		});
		const answers = [
			{ statusCode: 401, body: { message: `API key ${KEY} is revoked`, code: 1302 } },
			{ throws: socket },
		];
		let i = 0;
		const { ctx } = fakeContext(() => answers[i++]);
		await openSession(ctx, fakeAdapter, { clock, retry: { ...defaultRetryPolicy, attempts: 1 }, requestTimeoutMs: 1000 });
		for (const request of [{ method: 'GET' as const, path: '/a' }, { method: 'POST' as const, path: '/b', body: {} }]) {
			const error = await caught(vendorRequest(ctx, fakeAdapter, request, { retry: true }));
			expect(error).toBeInstanceOf(VendorFailure);
			const everything = JSON.stringify({ ...error, message: error.message, description: error.description, stack: error.stack, cause: error.cause });
			expect(everything).not.toContain(KEY);
			expect(everything).not.toContain('Authorization');
			const item = renderItemError(fakeNode, fakeAdapter, error, [KEY], 3, 'job-7');
			expect(JSON.stringify({ ...item, message: item.message })).not.toContain(KEY);
			expect(item.message).toContain('job-7');
			expect(item.context.itemIndex).toBe(3);
		}
	});

	it('keeps a validation error readable and scrubbed, with its item index', () => {
		const validation = new NodeOperationError(fakeNode, `Item 2: "Audio URL" must be an http(s) URL, got ${KEY}`, { itemIndex: 2 });
		const item = renderItemError(fakeNode, fakeAdapter, validation, [KEY], 2);
		expect(item.message).toContain('"Audio URL" must be an http(s) URL');
		expect(item.message).not.toContain(KEY);
		expect(item.context.itemIndex).toBe(2);
	});
});
