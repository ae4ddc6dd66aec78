import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { vendorRequest } from '../shared/transport';
import { personateAdapter } from './personate.adapter';
import { personateListItem, personateListItems, personateListPath } from './personate.assumptions';

/** One list of the credential's account, through the engine's transport (retried like any free GET). */
async function searchList(
	ctx: ILoadOptionsFunctions,
	kind: 'avatars' | 'voices',
	typeParameter: string,
	filter?: string,
): Promise<INodeListSearchResult> {
	const type = ctx.getCurrentNodeParameter(typeParameter) === 'custom' ? 'custom' : 'public';
	const body = await vendorRequest(ctx, personateAdapter, { method: 'GET', path: personateListPath(kind, type) }, { retry: true });
	const needle = (filter ?? '').trim().toLowerCase();
	const results = personateListItems(body, kind)
		.map((item) => personateListItem(item, kind))
		.filter((item): item is { id: string; name: string } => item !== undefined)
		.filter((item) => !needle || item.name.toLowerCase().includes(needle) || item.id.toLowerCase().includes(needle))
		.map((item) => ({ name: item.name, value: item.id }));
	return { results };
}

/** Put under the Personate node's `methods.listSearch`. */
export const personateListSearch = {
	async searchAvatars(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return await searchList(this, 'avatars', 'avatarType', filter);
	},
	async searchVoices(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return await searchList(this, 'voices', 'voiceType', filter);
	},
};
