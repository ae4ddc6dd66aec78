import { VENDOR_MODULES } from '../../nodes/registry';
import { packPackage, startN8n, type N8nInstance } from './harness';
import { startSandbox, type Sandbox, type Vendor } from '../sandbox';
import { CREDENTIAL_TYPES, nodeItems, type CredentialRefs } from './support/lipsync';
import { ledgerLines, rowNode, rows, rowsWorkflow, runRows } from './support/pipeline';

/**
 * Idempotent creates in a real n8n 2.41 against the provider sandbox, for every vendor that
 * declares the capability (sync.so's Idempotency-Key): a create whose answer is lost after the
 * vendor made the generation is sent again with the same key, the vendor answers with the
 * generation it made, and the item is billed once; n8n's log has the key before each try.
 */

const JOB_MS = 1_500;
const FAST = { pollIntervalSeconds: 1, waitLimitMinutes: 2 };
const KEYED = VENDOR_MODULES.filter((module) => module.adapter.idempotentCreates).map((module) => ({
	vendor: module.adapter.provider as Vendor,
	header: module.adapter.idempotentCreates!.header.toLowerCase(),
}));

describe('idempotent creates in a real n8n', () => {
	let sb: Sandbox;
	let n8n: N8nInstance;

	beforeAll(async () => {
		sb = await startSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });
		n8n = await startN8n({ packageTarball: await packPackage() });
	});

	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	it.each(KEYED)('$vendor: a lost create answer is resent with the same key and billed once', async ({ vendor, header }) => {
		sb.reset();
		const [credential] = await n8n.importCredentials([
			{ name: `${vendor} idempotent`, type: CREDENTIAL_TYPES[vendor], data: { apiKey: sb.keys[vendor], baseUrl: sb.baseUrl(vendor) } },
		]);
		const credentials: CredentialRefs = { [credential.type]: { id: credential.id, name: credential.name } };
		const hook = `e2e-idempotent-${vendor}`;
		const wf = await n8n.importWorkflow(
			rowsWorkflow(`e2e idempotent creates ${vendor}`, hook, [rowNode(vendor, 'Lip Sync', credentials, { operation: 'createAndWait', options: FAST })]),
		);
		await n8n.publish(wf.id);
		// Row 1's create makes its generation, then the connection drops before the answer.
		sb.setFault(vendor, { kind: 'reset', endpoint: 'create', createdFirst: true, times: 1, matchBody: `${hook}-1-voice` });

		const execution = await runRows(n8n, wf.id, hook, rows(2, hook));

		const creates = sb.log.entries({ vendor, endpoint: 'create' });
		const lost = creates.find((entry) => entry.statusCode === 0);
		expect(lost).toBeDefined();
		const key = lost!.headers[header];
		expect(creates.map((entry) => entry.headers[header]).filter((k) => k === key)).toHaveLength(2);
		expect(creates).toHaveLength(3);
		const billed = sb.jobs.list(vendor).filter((job) => job.meta.idempotencyKey === key);
		expect(billed).toHaveLength(1);
		expect(sb.jobs.list(vendor)).toHaveLength(2);

		const out = nodeItems(execution.data, 'Lip Sync').map((item) => item.json);
		expect(out).toHaveLength(2);
		expect(out[1]).toMatchObject({ jobId: billed[0].id, status: 'succeeded' });
		for (const json of out) expect(json.maybeCreated).toBeUndefined();

		// n8n's log has the key before each try, then the job.
		const lines = ledgerLines(n8n.log('main'), String(execution.id));
		const forRow1 = lines.filter((line) => line.includes(' item 1'));
		expect(forRow1.map((line) => line.replace(/ \(node .*$/, ''))).toEqual([
			`lipsync job create sent: ${vendor} item 1 idempotency key ${key}`,
			`lipsync job create sent: ${vendor} item 1 idempotency key ${key}`,
			`lipsync job submitted: ${vendor} job ${billed[0].id} item 1`,
		]);
	});
});
