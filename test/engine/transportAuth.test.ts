/**
 * The transport's auth over real HTTP, in n8n-core's own list-search context (`vendorContext`)
 * against the sandbox, which refuses any key but its own in the header the vendor's documents
 * name: each registered vendor's key arrives as its credential class defines it, rendered once
 * per run and sent with the plain helper; a credential the renderer does not understand still
 * goes through n8n's authenticated helper; and a failed request never shows the key.
 */
import type { ICredentialType, ILoadOptionsFunctions } from 'n8n-workflow';

import { VENDOR_MODULES } from '../../nodes/registry';
import type { VendorAdapter } from '../../nodes/shared/adapter';
import { VendorFailure } from '../../nodes/shared/errors';
import { vendorRequest } from '../../nodes/shared/transport';
import { closedLoopbackUrl, vendorContext } from '../harness';
import { VENDOR_SETUP } from '../nodes/nodeKit';
import { startSandbox, type Sandbox, type Vendor } from '../sandbox';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jitterMs: 0 });
});
afterAll(async () => {
	await sb?.close();
});

interface Spied {
	ctx: ILoadOptionsFunctions;
	/** Which helper each request went through. */
	helpers: string[];
}

/** n8n-core's context for the vendor's node, its helpers wrapped to record which one each request used. */
async function contextFor(vendor: Vendor, credentialType: ICredentialType, apiKey: string, baseUrl = sb.baseUrl(vendor)): Promise<Spied> {
	const ctx = await vendorContext({ nodeType: VENDOR_SETUP[vendor].node(), credentialType, credentials: { apiKey, baseUrl } });
	const helpers: string[] = [];
	const { httpRequest, httpRequestWithAuthentication } = ctx.helpers;
	ctx.helpers.httpRequest = async (...args: Parameters<typeof httpRequest>) => {
		helpers.push('httpRequest');
		return await httpRequest.apply(ctx.helpers, args);
	};
	ctx.helpers.httpRequestWithAuthentication = async (...args: Parameters<typeof httpRequestWithAuthentication>) => {
		helpers.push('httpRequestWithAuthentication');
		return await httpRequestWithAuthentication.apply(ctx, args);
	};
	return { ctx, helpers };
}

/** The failure kind of a status request for a job that does not exist: past the key check it is `notFound`. */
async function statusKind(ctx: ILoadOptionsFunctions, adapter: VendorAdapter): Promise<string> {
	try {
		await vendorRequest(ctx, adapter, adapter.statusRequest('no-such-job-0000'), { retry: false });
		return 'ok';
	} catch (error) {
		if (!(error instanceof VendorFailure)) throw error;
		return error.facts.kind;
	}
}

const registered = VENDOR_MODULES.map(({ adapter }) => [adapter.provider as Vendor, adapter] as const);

describe.each(registered)('%s', (vendor, adapter) => {
	it('its key reaches the sandbox in the header its credential class defines, sent by the plain helper; a wrong key is refused', async () => {
		const right = await contextFor(vendor, adapter.credentialType, sb.keys[vendor]);
		sb.log.clear();
		expect(await statusKind(right.ctx, adapter)).toBe('notFound');
		expect(right.helpers).toEqual(['httpRequest']);
		expect(sb.log.entries({ vendor })).toHaveLength(1);

		const wrong = await contextFor(vendor, adapter.credentialType, `${sb.keys[vendor]}-wrong`);
		// Refused at the key check (some vendors answer a bad key as a missing permission).
		expect(['auth', 'permission']).toContain(await statusKind(wrong.ctx, adapter));
		expect(wrong.helpers).toEqual(['httpRequest']);
	});
});

describe('a credential the renderer does not understand', () => {
	it("falls back to n8n's authenticated helper, whose rendering the sandbox accepts", async () => {
		const [vendor, adapter] = registered[0];
		const original = adapter.credentialType;
		const authenticate = original.authenticate as { properties: { headers: Record<string, string> } };
		// The same header, with an expression the renderer leaves to n8n (a method call).
		const headers = Object.fromEntries(
			Object.entries(authenticate.properties.headers).map(([name, value]) => [name, value.replace('$credentials.apiKey', '$credentials.apiKey.trim()')]),
		);
		expect(headers).not.toEqual(authenticate.properties.headers);
		const credentialType = Object.assign(Object.create(Object.getPrototypeOf(original) as object) as ICredentialType, original, {
			authenticate: { type: 'generic', properties: { headers } },
		});
		const fallback: VendorAdapter = { ...adapter, credentialType };
		const { ctx, helpers } = await contextFor(vendor, credentialType, sb.keys[vendor]);
		expect(await statusKind(ctx, fallback)).toBe('notFound');
		expect(helpers).toEqual(['httpRequestWithAuthentication']);
	});
});


describe.each(registered)('%s, when the request fails on the network', (vendor, adapter) => {
	it('shows the key nowhere in the error: message, description or any of its properties', async () => {
		const key = `sk-live-NEVER-SHOWN-${vendor}-0123456789`;
		const { ctx, helpers } = await contextFor(vendor, adapter.credentialType, key, await closedLoopbackUrl());
		let failure: unknown;
		for (const request of [adapter.statusRequest('job-1'), { ...adapter.statusRequest('job-1'), method: 'POST' as const, body: { a: 1 } }]) {
			try {
				await vendorRequest(ctx, adapter, request, { retry: false, paidCreate: request.method === 'POST' });
				throw new Error('expected a failure');
			} catch (error) {
				failure = error;
			}
			expect(failure).toBeInstanceOf(VendorFailure);
			const error = failure as VendorFailure;
			expect(error.facts.kind).toBe('network');
			expect(error.message).toContain('no response');
			expect(error.description ?? '').toContain('ECONNREFUSED');
			const everything = JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error.stack);
			expect(everything).not.toContain(key);
			expect(everything).not.toContain(key.slice(0, 12));
		}
		expect(helpers).toEqual(['httpRequest', 'httpRequest']);
	});
});
