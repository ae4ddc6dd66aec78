import { unreachableUrlReason, vendorUrlProblem } from '../../nodes/shared/publicUrl';

const JOGGAI = { vendor: 'JoggAI', httpsOnly: true };

describe('unreachableUrlReason (JoggAI needs a public https URL)', () => {
	it.each([
		'https://n8n.example.com/webhook/abc/callback',
		'https://93.184.216.34/webhook/abc/callback',
		'https://172.32.0.1/webhook',
		'https://[2606:4700::1111]/webhook',
	])('accepts %s', (url) => {
		expect(unreachableUrlReason(url, JOGGAI)).toBeUndefined();
	});

	it.each([
		['http://n8n.example.com/webhook', /https/],
		['http://localhost:5678/webhook', /https.*loopback|loopback.*https/],
		['https://app.localhost/webhook', /loopback/],
		['https://127.1.2.3/webhook', /loopback/],
		['https://0.0.0.0/webhook', /not a routable/],
		['https://10.1.2.3/webhook', /private network/],
		['https://172.16.5.4/webhook', /private network/],
		['https://172.31.255.255/webhook', /private network/],
		['https://192.168.0.10/webhook', /private network/],
		['https://169.254.169.254/webhook', /link-local/],
		['https://100.64.0.1/webhook', /carrier-grade NAT/],
		['https://[::1]/webhook', /loopback/],
		['https://[::ffff:10.0.0.1]/webhook', /private network/],
		['https://[fd12:3456::1]/webhook', /private network/],
		['https://[fe80::1]/webhook', /link-local/],
		['https://n8n/webhook', /local network name/],
		['https://n8n.internal/webhook', /local network name/],
		['not a url', /not a valid URL/],
	])('refuses %s', (url, reason) => {
		expect(unreachableUrlReason(url, JOGGAI)).toMatch(reason);
	});
});

describe('unreachableUrlReason (Vozo calls back over http or https)', () => {
	const VOZO = { vendor: 'Vozo', httpsOnly: false };

	it('accepts a public http URL and names Vozo when refusing a private one', () => {
		expect(unreachableUrlReason('http://n8n.example.com/webhook-waiting/7?signature=x', VOZO)).toBeUndefined();
		expect(unreachableUrlReason('http://printer.local/hook', VOZO)).toBe('its host printer.local is a local network name that Vozo cannot resolve');
		expect(unreachableUrlReason('ftp://n8n.example.com/hook', VOZO)).toMatch(/Vozo only delivers to http\(s\) URLs/);
	});
});

describe('vendorUrlProblem (links from a vendor\'s answer)', () => {
	const BASE = 'https://api.vendor.example/v1';

	it.each(['https://cdn.vendor.example/v/1.mp4?sig=x', 'http://93.184.216.34/v.mp4', 'https://API.VENDOR.EXAMPLE./results/1.mp4'])('fetches %s', (url) => {
		expect(vendorUrlProblem(url, BASE)).toBeUndefined();
	});

	it('fetches a loopback link on the credential\'s own Base URL host (a local sandbox or proxy), and no other loopback host', () => {
		expect(vendorUrlProblem('http://127.0.0.1:4010/results/1.mp4', 'http://127.0.0.1:4010/vozo')).toBeUndefined();
		expect(vendorUrlProblem('http://127.0.0.2:4010/results/1.mp4', 'http://127.0.0.1:4010/vozo')).toMatch(/127\.0\.0\.2 is this machine/);
	});

	it.each([
		['file:///etc/passwd', /uses file; only http\(s\)/],
		['ftp://cdn.vendor.example/v.mp4', /uses ftp/],
		['http://127.0.0.2/v.mp4', /loopback/],
		['http://[::ffff:127.0.0.2]/v.mp4', /loopback/],
		['http://2130706434/v.mp4', /127\.0\.0\.2.*loopback/],
		['http://metadata.internal/latest', /local network name/],
		['not a url', /not a valid URL/],
	])('refuses %s', (url, reason) => {
		expect(vendorUrlProblem(url, BASE)).toMatch(reason);
	});
});
