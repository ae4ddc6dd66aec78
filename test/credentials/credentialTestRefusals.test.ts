/**
 * A credential's Test button follows the node's own request rules (nodes/shared/credentialTestRules.ts):
 * no redirects, and https only (plain http only to this machine). Run as n8n's credential tester
 * runs a declared test (./credentialTester.ts) over real HTTP on loopback: 127.0.0.1 plays the
 * Base URL, 127.0.0.2 the place a redirect points to, and 0.0.0.0 a plain-http Base URL that is
 * not loopback by the rule (it still lands on this machine, so nothing leaves it if sent).
 */
import { VENDOR_MODULES } from '../../nodes/registry';
import { recordingServer } from '../e2e/support/recordingServer';
import { runCredentialTest } from './credentialTester';

/** Every registered vendor's credential, named as its refusals name it (the adapter's display name). */
const TYPES = VENDOR_MODULES.map(({ adapter }) => [adapter.displayName, adapter.credentialType] as const);
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const KEY = 'credential-test-key-0123456789';

describe.each(TYPES)('%s credential Test', (vendor, type) => {
	it('refuses a Base URL that redirects, with the reason, and never sends the key to the redirect target', async () => {
		const target = await recordingServer('127.0.0.2', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
		const redirecting = await recordingServer('127.0.0.1', (res) => res.writeHead(302, { location: `http://127.0.0.2:${target.port}/elsewhere` }).end());
		try {
			const result = await runCredentialTest(type, { apiKey: KEY, baseUrl: `http://127.0.0.1:${redirecting.port}` });
			expect(result).toEqual({ status: 'Error', message: expect.stringMatching(new RegExp(`^${escaped(vendor)}: the Base URL answered with a redirect \\(HTTP 302\\)`)) });
			expect(redirecting.seen).toHaveLength(1);
			expect(target.seen).toHaveLength(0);
		} finally {
			await Promise.all([target.close(), redirecting.close()]);
		}
	});

	it('refuses a plain-http Base URL that is not this machine, with the reason, sending nothing', async () => {
		const plain = await recordingServer('127.0.0.1', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
		try {
			const result = await runCredentialTest(type, { apiKey: KEY, baseUrl: `http://0.0.0.0:${plain.port}` });
			expect(result).toEqual({ status: 'Error', message: expect.stringMatching(new RegExp(`^${escaped(vendor)}: the Base URL does not use https`)) });
			expect(plain.seen).toHaveLength(0);
		} finally {
			await plain.close();
		}
	});
});
