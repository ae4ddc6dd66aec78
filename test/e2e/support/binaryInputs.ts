/**
 * Workflows that hand a vendor node binary files from earlier nodes: a production webhook starts
 * them, HTTP Request nodes download speech (and a face video and photo) from the sandbox into
 * binary fields — each keeps the binaries before it — and the vendor node reads them.
 */
import { createHash } from 'node:crypto';

import { waitFor, type N8nInstance } from '../harness';
import type { InputFileRecord, Sandbox, Vendor } from '../../sandbox';
import { VENDOR_MODULES } from '../../../nodes/registry';
import { adapterOf } from '../../registry/registeredNodes';
import { connect, createFields, vendorNode, webhookTrigger, workflow, type CredentialRefs, type WorkflowNode } from './lipsync';

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The vendors that take URLs only (no upload step before the create), so a binary input reaches
 * them as n8n's signed link: every such vendor in the registry, none named here.
 */
export const LINK_VENDORS = VENDOR_MODULES.filter(({ adapter }) => !adapter.prepareCreateInput).map(({ adapter }) => adapter.provider as Vendor);

/** Binary fields a vendor takes besides the core face and speech (Modellix's reference face photo, in `photo`). */
export const EXTRA_BINARY_FIELDS: Partial<Record<Vendor, Record<string, unknown>>> = {
	modellix: { referenceFaceSource: 'binary', referenceFaceImageBinaryProperty: 'photo' },
};

/**
 * A vendor node's binary fields: face video in `face`, speech in `speech` (the adapter's own
 * mapping of the Lip Sync node's core input), over its other create fields, and its extras.
 */
export function binaryFields(vendor: Vendor): Record<string, unknown> {
	const core = adapterOf(vendor).coreInput.parameters({
		face: { source: 'binary', url: '', binaryPropertyName: 'face' },
		speech: { source: 'binary', url: '', binaryPropertyName: 'speech' },
	});
	if ('refused' in core) throw new Error(`${vendor} takes no binary face and speech: ${String(core.refused)}`);
	return { ...createFields(vendor, '', ''), ...core, ...EXTRA_BINARY_FIELDS[vendor] };
}

let counter = 0;

const download = (name: string, url: string, property: string): WorkflowNode => ({
	id: `e2e-bin-${++counter}`,
	name,
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	position: [0, 0],
	parameters: { url, options: { response: { response: { responseFormat: 'file', outputPropertyName: property } } } },
});

export interface BinaryWorkflowOptions {
	vendor: Vendor;
	path: string;
	speechBytes: number;
	operation?: 'create' | 'createAndWait';
	/** Workflow settings, e.g. `{ saveDataSuccessExecution: 'none' }`. */
	settings?: Record<string, unknown>;
}

/** Webhook → download speech, face video (and photo) → the vendor node with the binary fields. */
export function binaryWorkflow(sb: Sandbox, credentials: CredentialRefs, options: BinaryWorkflowOptions) {
	const { vendor, path } = options;
	const nodes = [
		webhookTrigger('Start', `e2e-bin-${path}`, path),
		download('Speech', `${sb.url}/files/speech.wav?bytes=${options.speechBytes}`, 'speech'),
		download('Face', `${sb.url}/files/video.mp4`, 'face'),
		download('Photo', `${sb.url}/files/face.jpg`, 'photo'),
		vendorNode(vendor, 'Lip Sync', { operation: options.operation ?? 'createAndWait', ...binaryFields(vendor), options: { pollIntervalSeconds: 0.5 } }, credentials),
	];
	const built = workflow(`binary input: ${vendor} ${path}`, nodes, connect(['Start', 'Speech'], ['Speech', 'Face'], ['Face', 'Photo'], ['Photo', 'Lip Sync']));
	return { ...built, settings: { ...built.settings, ...options.settings } };
}

/** Starts the published workflow and waits until the vendor's job for it has fetched its files and ended. */
export async function runAndWaitForJob(n8n: N8nInstance, sb: Sandbox, vendor: Vendor, path: string) {
	const before = new Set(sb.jobs.list(vendor).map((job) => job.id));
	const res = await n8n.webhook(`webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	expect(res.status).toBe(200);
	return await waitFor(
		`a finished ${vendor} job from ${path}`,
		async () => sb.jobs.list(vendor).find((job) => !before.has(job.id) && (job.phase === 'succeeded' || job.phase === 'failed')),
		{ timeoutMs: 120_000, intervalMs: 250 },
	);
}

/** The file a job fetched for one kind of input. */
export const fetchedFile = (files: InputFileRecord[] | undefined, kind: string): InputFileRecord | undefined =>
	files?.find((file) => file.expected.includes(kind as InputFileRecord['expected'][number]));

/** GETs an n8n signed link at a local n8n process (the public host replaced by `base`): status and sha256. */
export async function fetchLink(url: string, publicBase: string, base: string): Promise<{ status: number; sha256?: string }> {
	const res = await fetch(base + url.slice(publicBase.length), { signal: AbortSignal.timeout(30_000) });
	const body = Buffer.from(await res.arrayBuffer());
	return { status: res.status, ...(res.status === 200 ? { sha256: sha256(body) } : {}) };
}
