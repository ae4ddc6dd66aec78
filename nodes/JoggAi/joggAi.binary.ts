import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CreateToolkit } from '../shared/adapter';
import { readRecord, text, unexpectedAnswer } from '../shared/adapterKit';
import { invalidItemInput } from '../shared/validation';

/**
 * JoggAI's binary input: checked against JoggAI's upload limits before anything is sent, from the
 * binary metadata only (never `binary.data`, which is empty in n8n's filesystem binary mode), then
 * uploaded (`POST /v2/upload/asset`, then a PUT of the bytes to the signed URL).
 */

const MB = 1024 * 1024;

interface BinaryRule {
	maxBytes: number;
	/** extension → the Content-Type we declare and upload with */
	types: Record<string, string>;
	/** mime types accepted as each extension */
	mimeAliases: Record<string, string>;
	label: string;
}

const JOGGAI_BINARY_RULES: Record<'video' | 'audio', BinaryRule> = {
	video: {
		maxBytes: 100 * MB,
		types: { mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime' },
		mimeAliases: { 'video/mp4': 'mp4', 'video/webm': 'webm', 'video/quicktime': 'mov', 'video/mov': 'mov' },
		label: 'MP4, WebM or MOV video up to 100 MB',
	},
	audio: {
		maxBytes: 20 * MB,
		types: { mp3: 'audio/mpeg', wav: 'audio/wav', m4a: 'audio/mp4' },
		mimeAliases: {
			'audio/mpeg': 'mp3',
			'audio/mp3': 'mp3',
			'audio/mpeg3': 'mp3',
			'audio/wav': 'wav',
			'audio/x-wav': 'wav',
			'audio/wave': 'wav',
			'audio/vnd.wave': 'wav',
			'audio/mp4': 'm4a',
			'audio/x-m4a': 'm4a',
			'audio/m4a': 'm4a',
		},
		label: 'MP3, WAV or M4A audio up to 20 MB',
	},
};

export interface JoggAiBinarySource extends IDataObject {
	property: string;
	fileName: string;
	contentType: string;
	fileSize?: number;
}

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: MB, gib: 1024 * MB };

/** n8n's `fileSize` is a display string such as "12.3 MB". */
function parseDisplaySize(value: string | undefined): number | undefined {
	const match = /^\s*([\d.]+)\s*([kmg]?i?b)\s*$/i.exec(value ?? '');
	if (!match) return undefined;
	return Math.round(Number(match[1]) * (UNITS[match[2].toLowerCase()] ?? 1));
}

async function sizeOf(ctx: IExecuteFunctions, binary: IBinaryData): Promise<number | undefined> {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id && typeof ctx.helpers.getBinaryMetadata === 'function') {
		const metadata = await ctx.helpers.getBinaryMetadata(binary.id);
		if (typeof metadata.fileSize === 'number') return metadata.fileSize;
	}
	return parseDisplaySize(binary.fileSize);
}

const extensionOf = (name: string | undefined): string | undefined => {
	const match = /\.([a-z0-9]+)$/i.exec(name ?? '');
	return match ? match[1].toLowerCase() : undefined;
};

export async function readJoggAiBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: 'video' | 'audio',
	property: string,
	field: string,
): Promise<JoggAiBinarySource> {
	const rule = JOGGAI_BINARY_RULES[kind];
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const mime = String(binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
	const extension =
		rule.mimeAliases[mime] ??
		[binary.fileExtension?.toLowerCase(), extensionOf(binary.fileName)].find(
			(e): e is string => e !== undefined && e in rule.types,
		);
	if (!extension) {
		invalidItemInput(
			ctx,
			itemIndex,
			field,
			`holds "${binary.fileName ?? property}" (${mime || 'unknown type'}); JoggAI accepts ${rule.label}`,
		);
	}
	const fileSize = await sizeOf(ctx, binary);
	if (fileSize !== undefined && fileSize > rule.maxBytes) {
		invalidItemInput(
			ctx,
			itemIndex,
			field,
			`holds a file of ${(fileSize / MB).toFixed(1)} MB; JoggAI accepts ${rule.label}`,
		);
	}
	const source: JoggAiBinarySource = {
		property,
		fileName: binary.fileName ?? `${kind}.${extension}`,
		contentType: rule.types[extension],
	};
	if (fileSize !== undefined) source.fileSize = fileSize;
	return source;
}

/** Uploads one binary input and returns the `asset_url` to send as `video_url`/`audio_url`. */
export async function uploadJoggAiAsset(toolkit: CreateToolkit, source: JoggAiBinarySource): Promise<string> {
	const body: IDataObject = { filename: source.fileName, content_type: source.contentType };
	if (source.fileSize !== undefined) body.file_size = source.fileSize;
	const answer = await toolkit.send({ method: 'POST', path: '/v2/upload/asset', body });
	const data = readRecord(answer, ['sign_url', 'asset_url']);
	const signUrl = text(data.sign_url);
	const assetUrl = text(data.asset_url);
	if (!signUrl || !assetUrl) {
		throw unexpectedAnswer('JoggAI upload answer has no sign_url/asset_url', answer);
	}
	await toolkit.uploadBinary(signUrl, source.property, { 'Content-Type': source.contentType });
	return assetUrl;
}
