import { packPackage, startN8n, type N8nInstance } from './harness';
import { startSandbox, VENDORS, type Sandbox, type Vendor } from '../sandbox';
import {
	connect,
	createFields,
	CREDENTIAL_TYPES,
	manualTrigger,
	nodeItems,
	sandboxCredentials,
	setNode,
	VENDOR_LIST,
	vendorNode,
	workflow,
	type CredentialRefs,
} from './support/lipsync';

/**
 * Answers the vendors' documents allow, in a real n8n 2.41 with the packed package: a revoked or
 * refused key fails the editor's credential Test (codes compared as the vendor sends them), a
 * status that says success before its video URL is filled in still ends `succeeded` with the
 * video, and Modellix's other result shapes give the video, never the cover.
 */

const FAST_WAIT = { pollIntervalSeconds: 1, waitLimitMinutes: 2 };

describe('faithful to the vendors\' documents, in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;
	let credentials: CredentialRefs;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: 1_000, jitterMs: 0 });
		n8n = await startN8n({ packageTarball: await packPackage() });
		credentials = await sandboxCredentials(n8n, sb);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	const credentialTest = async (vendor: Vendor, apiKey: string) =>
		await n8n.rest<{ status: string; message: string }>('POST', '/credentials/test', {
			credentials: { id: '', name: `${vendor} revoked`, type: CREDENTIAL_TYPES[vendor], data: { apiKey, baseUrl: sb.baseUrl(vendor) } },
		});

	/** A key each vendor's sandbox refuses, and what the credential Test then says. */
	const REFUSED_KEYS: Record<Vendor, [string, RegExp]> = {
		vozo: ['sandbox-revoked-vozo-key', /revoked \(code 1302\)/],
		joggai: ['sandbox-no-permission-joggai-key', /no API permission \(code 18025\)/],
		modellix: ['sandbox-revoked-modellix-key', /not valid/],
		personate: ['sandbox-revoked-personate-key', /.+/],
		syncso: ['sandbox-revoked-syncso-key', /Unauthorized|401/],
	};
	it.each(VENDORS.map((vendor) => [vendor, ...REFUSED_KEYS[vendor]] as const))('%s: a revoked or refused key fails the editor\'s credential Test', async (vendor, key, reason) => {
		sb.log.clear();
		const result = await credentialTest(vendor, key);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(reason);
		expect(result.message).not.toContain(key);
		expect(sb.log.entries({ vendor }).length).toBeGreaterThan(0);
	});

	async function createAndWait(vendor: Vendor, videoUrl: string) {
		const wf = await n8n.importWorkflow(
			workflow(
				`e2e fidelity ${vendor} ${Date.now()}`,
				[
					manualTrigger(),
					setNode('Input', { videoUrl, audioUrl: 'https://example.com/voice.mp3' }),
					vendorNode(
						vendor,
						'Create and Wait',
						{ operation: 'createAndWait', ...createFields(vendor, '={{ $json.videoUrl }}', '={{ $json.audioUrl }}'), options: { ...FAST_WAIT, downloadVideo: true } },
						credentials,
					),
				],
				connect(['Start', 'Input'], ['Input', 'Create and Wait']),
			),
		);
		const run = await n8n.execute(wf.id);
		expect(run.error).toBeUndefined();
		const [item] = nodeItems(run.run.data, 'Create and Wait');
		return item;
	}

	it.each(VENDOR_LIST)('%s: success before the video URL, then the URL on the next poll → succeeded with the video', async (vendor) => {
		sb.reset();
		sb.setFault(vendor, { kind: 'urlLate', endpoint: 'status', times: 1 });
		const item = await createAndWait(vendor, 'https://example.com/face.mp4');
		expect(item.json).toMatchObject({ provider: vendor, status: 'succeeded', videoUrl: expect.stringContaining(`/${vendor}/results/`) });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4' });
		// The empty-URL answer was seen, and the node looked again instead of failing the paid job.
		expect(sb.faults()[vendor]).toBeUndefined();
		expect(sb.log.count({ vendor, endpoint: 'status' })).toBeGreaterThanOrEqual(2);
	});

	it.each(['flat', 'strings'])('Modellix result shape "%s": the video resource, never the cover, downloaded', async (shape) => {
		sb.reset();
		const item = await createAndWait('modellix', `https://example.com/face-result-shape-${shape}.mp4`);
		expect(item.json).toMatchObject({ provider: 'modellix', status: 'succeeded', videoUrl: expect.stringMatching(/\/modellix\/results\/[^/]+\.mp4\?token=/) });
		expect(item.json.coverUrl).not.toBe(item.json.videoUrl);
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4' });
	});
});
