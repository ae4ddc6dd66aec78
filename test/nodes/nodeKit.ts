/** Shared setup for node tests: the real node classes, their credentials, sandbox wiring. */
import type { ICredentialType, IDataObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import { JoggAiApi } from '../../credentials/JoggAiApi.credentials';
import { ModellixApi } from '../../credentials/ModellixApi.credentials';
import { PersonateApi } from '../../credentials/PersonateApi.credentials';
import { SyncSoApi } from '../../credentials/SyncSoApi.credentials';
import { VozoApi } from '../../credentials/VozoApi.credentials';
import { JoggAi } from '../../nodes/JoggAi/JoggAi.node';
import { Modellix } from '../../nodes/Modellix/Modellix.node';
import { Personate } from '../../nodes/Personate/Personate.node';
import { SyncSo } from '../../nodes/SyncSo/SyncSo.node';
import { Vozo } from '../../nodes/Vozo/Vozo.node';
import { runNode, type RunNodeOptions, type RunNodeResult } from '../harness';
import type { Sandbox, Vendor } from '../sandbox';
import { useSandbox } from '../sandbox/useSandbox';

export const FACE = 'https://cdn.example.test/face.mp4';
export const audioFor = (i: number) => `https://cdn.example.test/voice-${i}.mp3`;
export const FAILING_AUDIO = 'https://cdn.example.test/voice-fail.mp3';

interface VendorSetup {
	node: () => INodeType;
	credentialName: string;
	credentialType: () => ICredentialType;
	/** Create fields; the audio URL comes from each item's `audio`. */
	createParameters: INodeParameters;
}

export const VENDOR_SETUP: Record<Vendor, VendorSetup> = {
	vozo: {
		node: () => new Vozo(),
		credentialName: 'vozoApi',
		credentialType: () => new VozoApi(),
		createParameters: {
			generationMode: 'referenceFile',
			referenceFileType: 'video',
			referenceFileUrl: FACE,
			model: 'standard_v1',
			audioUrl: '={{ $json.audio }}',
		},
	},
	personate: {
		node: () => new Personate(),
		credentialName: 'personateApi',
		credentialType: () => new PersonateApi(),
		createParameters: {
			model: 'v2',
			actorSource: 'video',
			videoUrl: FACE,
			scriptSource: 'audio',
			audioUrl: '={{ $json.audio }}',
		},
	},
	modellix: {
		node: () => new Modellix(),
		credentialName: 'modellixApi',
		credentialType: () => new ModellixApi(),
		createParameters: { modelSlug: 'vidu/lip-sync', videoUrl: FACE, audioUrl: '={{ $json.audio }}' },
	},
	joggai: {
		node: () => new JoggAi(),
		credentialName: 'joggAiApi',
		credentialType: () => new JoggAiApi(),
		createParameters: { videoSource: 'url', videoUrl: FACE, audioSource: 'url', audioUrl: '={{ $json.audio }}' },
	},
	syncso: {
		node: () => new SyncSo(),
		credentialName: 'syncSoApi',
		credentialType: () => new SyncSoApi(),
		createParameters: { model: 'lipsync-2', videoSource: 'url', videoUrl: FACE, audioSource: 'url', audioUrl: '={{ $json.audio }}' },
	},
};

export const VENDOR_LIST = Object.keys(VENDOR_SETUP) as Vendor[];

export const audioItems = (count: number, fail: (i: number) => boolean = () => false): INodeExecutionData[] =>
	Array.from({ length: count }, (_, i) => ({ json: { audio: fail(i) ? FAILING_AUDIO : audioFor(i) } }));

/** How long a sandbox job takes in node tests (queued for the first quarter, then processing). */
export const JOB_MS = 100;

/** The node tests' sandbox for this file: short jobs (JOB_MS), no jitter; reset after each test. */
export const useNodeSandbox = (): Sandbox => useSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });

/** Fast waiting for tests: polls every 0.1 s (the engine's floor). */
export const FAST = { pollIntervalSeconds: 0.1 };

export interface RunVendorOptions extends Partial<RunNodeOptions> {
	operation: 'create' | 'createAndWait' | 'get' | 'wait';
	options?: IDataObject;
	apiKey?: string;
	/** Credential fields besides the key and base URL (e.g. a corrected path template). */
	credentialFields?: IDataObject;
}

export async function runVendor(sb: Sandbox, vendor: Vendor, run: RunVendorOptions): Promise<RunNodeResult> {
	const setup = VENDOR_SETUP[vendor];
	const { operation, options, apiKey, parameters, credentialFields, ...rest } = run;
	const isCreate = operation === 'create' || operation === 'createAndWait';
	return await runNode({
		nodeType: setup.node(),
		credentials: { [setup.credentialName]: { apiKey: apiKey ?? sb.keys[vendor], baseUrl: sb.baseUrl(vendor), ...credentialFields } },
		credentialTypes: [setup.credentialType()],
		parameters: {
			operation,
			...(isCreate ? setup.createParameters : {}),
			options: { ...FAST, ...(options ?? {}) },
			...(parameters ?? {}),
		},
		...rest,
	});
}

export const jsonOf = (result: RunNodeResult): IDataObject[] => (result.output?.[0] ?? []).map((item) => item.json);
