import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { personateListItem, personateListItems, personateListPath } from './personate.assumptions';

async function searchList(
	ctx: ILoadOptionsFunctions,
	kind: 'avatars' | 'voices',
	typeParameter: string,
	filter?: string,
): Promise<INodeListSearchResult> {
	const credentials = await ctx.getCredentials('personateApi');
	// n8n fills the credential's default base URL, so it is always set here.
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	const type = ctx.getCurrentNodeParameter(typeParameter) === 'custom' ? 'custom' : 'public';
	const body: unknown = await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'personateApi', {
		method: 'GET',
		url: `${baseUrl}${personateListPath(kind, type)}`,
		json: true,
	});
	const needle = (filter ?? '').trim().toLowerCase();
	const results = personateListItems(body as IDataObject, kind)
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
