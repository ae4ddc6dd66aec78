/** The provider sandbox: one loopback server faking Vozo, Personate, Modellix, JoggAI and sync.so.
 * API and behaviour: README.md in this folder. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allVendorStats, createControlHandler } from './control';
import { DeliveryLog, type DeliveryRecord } from './deliveries';
import { FaultBoard, type Fault, type FaultTarget } from './faults';
import { FIXTURE } from './files';
import type { SandboxCore, VendorModule } from './http';
import { JobClock, type JobFailure, type JobStats, type SandboxJob } from './jobs';
import { Limits } from './limits';
import {
	DEFAULT_OPTIONS,
	DEMO_KEYS,
	pickRuntimeOptions,
	VENDORS,
	type RuntimeOptions,
	type SandboxOptions,
	type Vendor,
} from './options';
import { RequestLog } from './requestLog';
import { SandboxRouter } from './server';
import { createJoggAi } from './vendors/joggai';
import type { DeliverEventInput, WebhookEndpoint } from './vendors/joggaiWebhooks';
import { createModellix } from './vendors/modellix';
import { createPersonate } from './vendors/personate';
import { createSyncSo } from './vendors/syncso';
import { syncSoPlanConcurrency } from './vendors/syncsoPlans';
import { createVozo } from './vendors/vozo';

export { DEMO_KEYS, VENDORS, DEFAULT_OPTIONS, FIXTURE, allVendorStats };
export { signJoggAiBody } from './deliveries';
export { FACE_IMAGE, speechWav } from './speech';
export type { InputFileRecord } from './inputFiles';
export { JOGGAI_EVENTS } from './vendors/joggaiWebhooks';
export type { Vendor, SandboxOptions, RuntimeOptions, Fault, FaultTarget, JobStats, SandboxJob, DeliveryRecord };
export type { LogEntry, LogFilter } from './requestLog';
export type { DeliverEventInput, WebhookEndpoint };

export interface Sandbox {
	/** `http://127.0.0.1:<port>` */
	readonly url: string;
	readonly port: number;
	/** The credential base URL of a vendor: `${url}/${vendor}`. */
	baseUrl(vendor: Vendor): string;
	/** The fixed demo keys. */
	readonly keys: Readonly<Record<Vendor, string>>;
	/** `${url}/files/video.mp4?size=<bytes>` (the plain fixture without a size). */
	videoUrl(sizeBytes?: number): string;
	readonly log: RequestLog;
	readonly deliveries: Pick<DeliveryLog, 'list' | 'clear'>;
	setFault(target: FaultTarget, fault: Fault | Fault[] | null): void;
	addFault(target: FaultTarget, fault: Fault): void;
	faults(): Record<string, Fault[]>;
	/** Shallow merge into the current options (a per-vendor object replaces the old one). */
	setOptions(patch: Partial<RuntimeOptions>): void;
	options(): RuntimeOptions;
	readonly jobs: {
		list(vendor?: Vendor): SandboxJob[];
		get(vendor: Vendor, id: string): SandboxJob | undefined;
		stats(vendor: Vendor): JobStats;
		postTimes(vendor: Vendor, key?: string): number[];
		finish(vendor: Vendor, id: string, outcome?: 'succeeded' | 'failed', failure?: JobFailure): SandboxJob;
	};
	readonly joggai: {
		deliverEvent(input: DeliverEventInput): Promise<DeliveryRecord[]>;
		endpoints(key?: string): WebhookEndpoint[];
	};
	/** Log, deliveries, jobs, faults, endpoints, uploads, limits and options back to the start. */
	reset(): void;
	close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const initial: RuntimeOptions = { ...DEFAULT_OPTIONS, ...pickRuntimeOptions(options as Record<string, unknown>) };
	let current: RuntimeOptions = structuredClone(initial);
	let url = '';
	const getOptions = () => current;

	const core: SandboxCore = {
		get url() {
			return url;
		},
		options: getOptions,
		keys: (vendor) => [DEMO_KEYS[vendor], ...(current.extraKeys[vendor] ?? [])],
		jobs: new JobClock(getOptions),
		faults: new FaultBoard(),
		log: new RequestLog(() => current.maxLogEntries),
		limits: new Limits(options.now),
		deliveries: new DeliveryLog(getOptions),
	};
	const joggai = createJoggAi(core);
	const modules: VendorModule[] = [createVozo(core), createPersonate(core), createModellix(core), joggai, createSyncSo(core, [syncSoPlanConcurrency(core)])];

	let sandbox: Sandbox | undefined;
	const control = createControlHandler(() => {
		if (!sandbox) throw new Error('sandbox not started');
		return sandbox;
	});
	const router = new SandboxRouter(core, modules, control);
	const server: Server = createServer(router.handle);
	server.keepAliveTimeout = 5000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port, address } = server.address() as AddressInfo;
	url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

	sandbox = {
		url,
		port,
		baseUrl: (vendor) => `${url}/${vendor}`,
		keys: DEMO_KEYS,
		videoUrl: (size) => `${url}/files/video.mp4${size === undefined ? '' : `?size=${size}`}`,
		log: core.log,
		deliveries: core.deliveries,
		setFault: (target, fault) => core.faults.set(target, fault),
		addFault: (target, fault) => core.faults.add(target, fault),
		faults: () => core.faults.snapshot(),
		setOptions: (patch) => {
			current = { ...current, ...pickRuntimeOptions(patch as Record<string, unknown>) };
		},
		options: () => current,
		jobs: {
			list: (vendor) => core.jobs.list(vendor),
			get: (vendor, id) => core.jobs.get(vendor, id),
			stats: (vendor) => ({ ...core.jobs.stats(vendor) }),
			postTimes: (vendor, key) => core.limits.postTimes(vendor, key),
			finish: (vendor, id, outcome, failure) => core.jobs.finish(vendor, id, outcome, failure),
		},
		joggai: {
			deliverEvent: (input) => joggai.webhooks.deliverEvent(input),
			endpoints: (key) => joggai.webhooks.endpoints(key),
		},
		reset: () => {
			core.log.clear();
			core.deliveries.clear();
			core.jobs.clear();
			core.faults.clear();
			core.limits.clear();
			for (const module of modules) module.reset?.();
			current = structuredClone(initial);
		},
		close: async () => {
			core.jobs.clear();
			await core.deliveries.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			joggai.uploads.close();
		},
	};
	return sandbox;
}
