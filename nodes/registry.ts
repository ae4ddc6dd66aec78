import type { VendorAdapter } from './shared/adapter';
import type { TriggerMode } from './LipSyncTrigger/triggerMode';
import { joggAiAdapter } from './JoggAi/joggAi.adapter';
import { joggAiTriggerMode } from './JoggAi/joggAi.trigger';
import { modellixAdapter } from './Modellix/modellix.adapter';
import { personateAdapter } from './Personate/personate.adapter';
import { syncSoAdapter } from './SyncSo/syncSo.adapter';
import { syncSoTriggerMode } from './SyncSo/syncSo.trigger';
import { vozoAdapter } from './Vozo/vozo.adapter';
import { vozoTriggerMode } from './Vozo/vozo.trigger';

/**
 * Every vendor the package ships, in one list: the Lip Sync Trigger and the tests find vendors
 * here, so the engine never names one. Adding a vendor = its folder, its credential, one entry
 * here and two lines of package.json.
 */
export interface VendorModule {
	adapter: VendorAdapter;
	/** How the vendor starts workflows in the Lip Sync Trigger, when it can push results. */
	trigger?: TriggerMode;
}

const REGISTERED = [
	{ adapter: vozoAdapter, trigger: vozoTriggerMode },
	{ adapter: personateAdapter },
	{ adapter: modellixAdapter },
	{ adapter: joggAiAdapter, trigger: joggAiTriggerMode },
	{ adapter: syncSoAdapter, trigger: syncSoTriggerMode },
] as const satisfies readonly VendorModule[];

export const VENDOR_MODULES: readonly VendorModule[] = REGISTERED;

/**
 * The provider ids of the registered vendors, as a type: the sandbox's `Vendor`, so every table
 * keyed by vendor in the tests and scripts is completed (and pruned) by the type checker.
 */
export type RegisteredProvider = (typeof REGISTERED)[number]['adapter']['provider'];

/** The trigger modes, in the registry's order. */
export function triggerModes(): TriggerMode[] {
	return VENDOR_MODULES.flatMap((module) => (module.trigger ? [module.trigger] : []));
}
