/**
 * URLs Vozo must call back are refused before anything is sent when Vozo cannot reach them:
 * the Callback URL option, and the execution's resume URL with Wait By "Vendor Callback"
 * (n8n builds it from WEBHOOK_URL). Through n8n-core and the sandbox: the sandbox's request log
 * shows that nothing was sent.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { Vozo } from '../../nodes/Vozo/Vozo.node';
import { startSandbox, type Sandbox } from '../sandbox';
import { audioItems, runVendor } from './nodeKit';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 200, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

describe('the Callback URL option', () => {
	it.each([
		['http://localhost:5678/webhook/abc/callback?token=t', /localhost is this machine \(loopback\)/],
		['http://127.0.0.1:5678/webhook/abc/callback', /127\.0\.0\.1 is this machine \(loopback\)/],
		['https://192.168.1.20/webhook/abc/callback', /private network address/],
		['https://n8n.local/webhook/abc/callback', /local network name that Vozo cannot resolve/],
		['http://n8n:5678/webhook/abc/callback', /local network name/],
	])('%s is refused for the item, saying to set WEBHOOK_URL, with zero requests', async (url, reason) => {
		const result = await runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: audioItems(3), options: { callbackUrl: url } });
		expect(result.error?.message).toMatch(/^Item 0: "Callback URL" cannot be reached by Vozo: /);
		expect(result.error?.message).toMatch(reason);
		expect(result.error?.message).toContain('nothing was sent');
		expect(result.error?.description).toContain('WEBHOOK_URL');
		expect(sb.log.entries()).toHaveLength(0);
	});

	it('a public URL is used, with the node\'s reference appended', async () => {
		const url = 'https://n8n.example.com/webhook/abc/callback?token=t';
		const result = await runVendor(sb, 'vozo', { operation: 'create', inputItems: audioItems(1), options: { callbackUrl: url } });
		expect(result.error).toBeUndefined();
		const [create] = sb.log.entries({ vendor: 'vozo', endpoint: 'create' });
		expect(String((create.requestBody as IDataObject).callback_url)).toMatch(/^https:\/\/n8n\.example\.com\/webhook\/abc\/callback\?token=t&lipsync_ref=/);
	});

	it('is hidden when Wait By is "Vendor Callback" (the node gives Vozo the resume URL then)', () => {
		const options = new Vozo().description.properties.find((p) => p.name === 'options')!.options as INodeProperties[];
		expect(options.find((o) => o.name === 'callbackUrl')?.displayOptions?.hide).toEqual({ '/waitBy': ['callback'] });
	});
});

describe('Wait By "Vendor Callback": the resume URL', () => {
	const park = (instanceBaseUrl: string) =>
		runVendor(sb, 'vozo', { operation: 'createAndWait', parameters: { waitBy: 'callback' }, inputItems: audioItems(1), instanceBaseUrl });

	it('from a WEBHOOK_URL of localhost is refused before anything is sent, saying what to set', async () => {
		const result = await park('http://localhost:5678');
		expect(result.executionStatus).toBe('error');
		expect(result.error?.message).toBe(
			"Vozo cannot reach this execution's resume URL (http://localhost:5678/webhook-waiting/" +
				`${result.resumeUrl.split('/').at(-1)!.split('?')[0]}): its host localhost is this machine (loopback) — nothing was sent`,
		);
		expect(result.error?.description).toMatch(/Set WEBHOOK_URL to n8n's public address .* or use Wait By "Polling"/);
		// The signature that resumes the execution stays out of the message.
		expect(result.error?.message).not.toContain('signature');
		expect(result.waitTill).toBeUndefined();
		expect(sb.log.entries()).toHaveLength(0);
	});

	it('from a private address is refused too', async () => {
		const result = await park('http://10.0.0.7:5678');
		expect(result.error?.message).toMatch(/its host 10\.0\.0\.7 is a private network address/);
		expect(sb.log.entries()).toHaveLength(0);
	});

	it('from a public WEBHOOK_URL is handed to Vozo and the execution waits', async () => {
		const result = await park('https://n8n.example.com');
		expect(result.executionStatus).toBe('waiting');
		const [create] = sb.log.entries({ vendor: 'vozo', endpoint: 'create' });
		expect((create.requestBody as IDataObject).callback_url).toBe(result.resumeUrl);
	});
});
