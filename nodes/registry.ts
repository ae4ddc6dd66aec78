import type { VendorAdapter } from './shared/adapter';
import { joggAiAdapter } from './JoggAi/joggAi.adapter';
import { modellixAdapter } from './Modellix/modellix.adapter';
import { personateAdapter } from './Personate/personate.adapter';
import { vozoAdapter } from './Vozo/vozo.adapter';

/**
 * Every vendor the package ships, in one list: the Lip Sync Trigger and the tests find vendors
 * here, so the engine never names one. Adding a vendor = its folder, its credential, one entry
 * here and two lines of package.json (CONTRIBUTING.md, "Add a vendor").
 */
export interface VendorModule {
	adapter: VendorAdapter;
}

export const VENDOR_MODULES: readonly VendorModule[] = [
	{ adapter: vozoAdapter },
	{ adapter: personateAdapter },
	{ adapter: modellixAdapter },
	{ adapter: joggAiAdapter },
];

export function findVendor(provider: string): VendorModule | undefined {
	return VENDOR_MODULES.find((module) => module.adapter.provider === provider);
}
