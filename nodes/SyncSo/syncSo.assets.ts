import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CreateToolkit } from '../shared/adapter';
import { objectAt, readRecord, text, unexpectedAnswer } from '../shared/adapterKit';
import { invalidItemInput } from '../shared/validation';
import { SYNCSO_ASSET_ID_FIELDS, SYNCSO_MAX_UPLOAD_BYTES } from './syncSo.assumptions';

/**
 * A binary input through sync.so's asset flow (docs/vendors.md, sync.so: "Assets"): checked
 * against sync.so's documented media types from the binary's metadata before anything is sent,
 * then `POST /v2/assets/upload` (a presigned URL), a PUT of the bytes to it, `POST /v2/assets`
 * (registration), and the asset's id goes into the create request's `input`.
 */

export type SyncSoMediaKind = 'video' | 'audio';

/** Documented media types (sync.so's media formats page), by mime type and by extension. */
const MEDIA_TYPES: Record<SyncSoMediaKind, { types: Record<string, string>; label: string }> = {
	video: {
		types: { mp4: 'video/mp4', mov: 'video/quicktime', qt: 'video/quicktime', webm: 'video/webm', avi: 'video/x-msvideo' },
		label: 'MP4, MOV, WebM or AVI video',
	},
	audio: {
		types: { wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg', flac: 'audio/flac', m4a: 'audio/mp4', aac: 'audio/aac' },
		label: 'WAV, MP3, OGG, FLAC, M4A or AAC audio',
	},
};

/** Common spellings of those mime types that name the same files. */
const MIME_ALIASES: Record<string, string> = {
	'audio/x-wav': 'audio/wav',
	'audio/wave': 'audio/wav',
	'audio/vnd.wave': 'audio/wav',
	'audio/mp3': 'audio/mpeg',
	'audio/x-m4a': 'audio/mp4',
	'audio/m4a': 'audio/mp4',
	'video/mov': 'video/quicktime',
	'video/avi': 'video/x-msvideo',
};

export interface SyncSoBinarySource extends IDataObject {
	kind: SyncSoMediaKind;
	property: string;
	fileName: string;
	contentType: string;
	size?: number;
}

const extensionOf = (name: string | undefined): string | undefined => /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1].toLowerCase();

/** Reads one binary input's metadata (never its bytes) and refuses what sync.so does not take. */
export async function readSyncSoBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: SyncSoMediaKind,
	property: string,
	field: string,
): Promise<SyncSoBinarySource> {
	const rule = MEDIA_TYPES[kind];
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const mime = String(binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
	const known = Object.values(rule.types);
	const byExtension = [binary.fileExtension?.toLowerCase(), extensionOf(binary.fileName)]
		.map((extension) => (extension ? rule.types[extension] : undefined))
		.find((type) => type !== undefined);
	const contentType = known.includes(MIME_ALIASES[mime] ?? mime) ? (MIME_ALIASES[mime] ?? mime) : byExtension;
	if (!contentType) {
		invalidItemInput(ctx, itemIndex, field, `holds "${binary.fileName ?? property}" (${mime || 'unknown type'}); sync.so accepts ${rule.label}`);
	}
	let size = typeof binary.bytes === 'number' ? binary.bytes : undefined;
	if (size === undefined && binary.id) size = (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize;
	if (size !== undefined && size > SYNCSO_MAX_UPLOAD_BYTES) {
		invalidItemInput(ctx, itemIndex, field, `holds a file of ${(size / 1024 ** 3).toFixed(1)} GiB; sync.so uploads at most 5 GiB`);
	}
	const extension = Object.entries(rule.types).find(([, type]) => type === contentType)?.[0] ?? kind;
	const source: SyncSoBinarySource = { kind, property, fileName: binary.fileName ?? `${kind}.${extension}`, contentType };
	if (size !== undefined) source.size = size;
	return source;
}

/** Uploads one binary input as a sync.so asset and returns the asset's id. */
export async function uploadSyncSoAsset(toolkit: CreateToolkit, source: SyncSoBinarySource): Promise<string> {
	const request: IDataObject = { fileName: source.fileName, contentType: source.contentType };
	if (source.size !== undefined) request.size = source.size;
	const presigned = readRecord(await toolkit.send({ method: 'POST', path: '/v2/assets/upload', body: request }), ['uploadUrl', 'url']);
	const uploadUrl = text(presigned.uploadUrl);
	const url = text(presigned.url);
	if (!uploadUrl || !url) throw unexpectedAnswer('sync.so upload answer has no uploadUrl/url', presigned);
	await toolkit.uploadBinary(uploadUrl, source.property, { 'Content-Type': source.contentType });
	const registered = await toolkit.send({
		method: 'POST',
		path: '/v2/assets',
		body: { url, type: source.kind.toUpperCase(), name: source.fileName },
	});
	const asset = objectAt(readRecord(registered, ['id', 'url']).asset) ?? readRecord(registered, ['id', 'url']);
	const assetId = SYNCSO_ASSET_ID_FIELDS.map((field) => text(asset[field])).find((id) => id !== undefined);
	if (!assetId) throw unexpectedAnswer('sync.so registered the asset but its answer has no id', registered);
	return assetId;
}
