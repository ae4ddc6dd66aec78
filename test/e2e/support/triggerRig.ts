/**
 * What the Lip Sync Trigger's end-to-end files share: a real n8n that believes it is reachable at
 * PUBLIC_BASE (JoggAI refuses anything else) with the packed package, a sandbox that delivers
 * whatever is addressed to that host to n8n's local port (no redelivery), sandbox credentials,
 * the trigger node, and a wait for callback deliveries.
 */
import { packPackage, startN8n, waitFor, type N8nInstance } from '../harness';
import { startSandbox, type DeliveryRecord, type Sandbox } from '../../sandbox';
import { sandboxCredentials, TRIGGER_TYPE, type CredentialRefs, type WorkflowNode } from './lipsync';

export const PUBLIC_BASE = 'https://n8n.example.test';

export interface TriggerRig {
	sb: Sandbox;
	n8n: N8nInstance;
	credentials: CredentialRefs;
}

/** `env`: n8n settings of this rig's n8n (e.g. a concurrency limit). */
export async function startTriggerRig(env: Record<string, string> = {}): Promise<TriggerRig> {
	const sb = await startSandbox({ jobDurationMs: 1_500, jitterMs: 0, webhookRetries: 0 });
	const n8n = await startN8n({ packageTarball: await packPackage(), webhookUrl: `${PUBLIC_BASE}/`, env });
	sb.setOptions({ webhookHostRewrite: { [PUBLIC_BASE]: n8n.webhookBase } });
	return { sb, n8n, credentials: await sandboxCredentials(n8n, sb) };
}

export async function stopTriggerRig(rig: Partial<TriggerRig>): Promise<void> {
	await rig.n8n?.stop();
	await rig.sb?.close();
}

export const triggerNode = (webhookId: string, parameters: Record<string, unknown>, credentials?: CredentialRefs, typeVersion = 1): WorkflowNode => ({
	id: `trigger-${webhookId}`,
	name: 'Lip Sync Trigger',
	type: TRIGGER_TYPE,
	typeVersion,
	position: [0, 0],
	webhookId,
	parameters,
	...(credentials ? { credentials } : {}),
});

/** The deliveries of one kind whose URL or body contains `marker`, once `done` says they are complete. */
export async function deliveriesFor(sb: Sandbox, kind: DeliveryRecord['kind'], marker: string, done: (records: DeliveryRecord[]) => boolean): Promise<DeliveryRecord[]> {
	return await waitFor(
		`${kind} deliveries to ${marker}`,
		async () => {
			const records = sb.deliveries.list({ kind }).filter((r) => r.url.includes(marker) || JSON.stringify(r.body).includes(marker));
			return records.every((r) => r.statusCode !== undefined || r.error !== undefined) && done(records) ? records : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 200 },
	);
}
