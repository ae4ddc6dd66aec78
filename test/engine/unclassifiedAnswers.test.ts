/**
 * Only a documented refusal means "nothing was created". An error inside an HTTP 200 envelope
 * that no documented rule places is uncertain: the create comes back as "maybe created", with the
 * vendor's raw answer quoted (short, without the key). The real adapters' code tables, through
 * the engine's transport.
 */
import type { VendorAdapter } from '../../nodes/shared/adapter';
import { VendorFailure } from '../../nodes/shared/errors';
import { vendorRequest } from '../../nodes/shared/transport';
import { joggAiAdapter } from '../../nodes/JoggAi/joggAi.adapter';
import { vozoAdapter } from '../../nodes/Vozo/vozo.adapter';
import { fakeContext, type FakeResponse } from './fakes';

const KEY = 'sk-live-SECRET-0123456789';
const CREATE = { method: 'POST' as const, path: '/create', body: { audio_url: 'https://cdn.example.test/a.mp3' } };

async function createAnswered(adapter: VendorAdapter, answer: FakeResponse): Promise<VendorFailure> {
	const { ctx } = fakeContext(() => answer, { apiKey: KEY, baseUrl: 'https://api.fake.example' });
	try {
		await vendorRequest(ctx, adapter as VendorAdapter, CREATE, { retry: false, paidCreate: true });
	} catch (error) {
		if (error instanceof VendorFailure) return error;
		throw error;
	}
	throw new Error('expected the create to fail');
}

describe('an error answer to a create that no documented rule places', () => {
	it('JoggAI: an unknown code in an HTTP 200 envelope is "maybe created", quoting the raw answer without the key', async () => {
		const body = { code: 12345, msg: `header x-api-key ${KEY} not accepted here`, data: null, rid: 'rid-7' };
		const failure = await createAnswered(joggAiAdapter as VendorAdapter, { statusCode: 200, body });
		expect(failure.facts.kind).toBe('uncertainCreate');
		expect(failure.message).toContain('may have been created');
		expect(failure.message).toContain('"code":12345');
		expect(failure.message).toContain('"rid":"rid-7"');
		expect(JSON.stringify({ message: failure.message, description: failure.description, facts: failure.facts })).not.toContain(KEY);
	});

	it.each([50001, 50099, 500])('JoggAI: code %s (its server-trouble range) is "maybe created", not a refusal', async (code) => {
		const failure = await createAnswered(joggAiAdapter as VendorAdapter, { statusCode: 200, body: { code, msg: 'service busy', data: null } });
		expect(failure.facts.kind).toBe('uncertainCreate');
		expect(failure.facts.detail).toMatch(/^server/);
	});

	it('Vozo: an unknown code in an HTTP 200 error body is "maybe created"', async () => {
		const failure = await createAnswered(vozoAdapter as VendorAdapter, { statusCode: 200, body: { code: '4711', message: 'new failure mode' } });
		expect(failure.facts.kind).toBe('uncertainCreate');
		expect(failure.message).toContain('"code":"4711"');
	});

	it('a very long unknown answer is quoted cut short', async () => {
		const failure = await createAnswered(joggAiAdapter as VendorAdapter, { statusCode: 200, body: { code: 777, msg: 'x'.repeat(5000) } });
		expect(failure.facts.kind).toBe('uncertainCreate');
		expect(failure.message.length).toBeLessThan(800);
	});
});

describe('documented refusals stay refusals (nothing was created)', () => {
	it.each([
		['JoggAI 40000', joggAiAdapter, { statusCode: 200, body: { code: 40000, msg: 'invalid parameters', data: null } }, 'invalidInput'],
		['JoggAI 10105', joggAiAdapter, { statusCode: 200, body: { code: 10105, msg: 'invalid API key', data: null } }, 'auth'],
		['Vozo 1304', vozoAdapter, { statusCode: 400, body: { code: '1304', message: 'max concurrent jobs reached' } }, 'concurrencyLimit'],
		['Vozo HTTP 400 with an unknown code', vozoAdapter, { statusCode: 400, body: { code: '4711', message: 'bad' } }, 'invalidInput'],
	] as Array<[string, VendorAdapter, FakeResponse, string]>)('%s', async (_name, adapter, answer, kind) => {
		const failure = await createAnswered(adapter, answer);
		expect(failure.facts.kind).toBe(kind);
	});
});
