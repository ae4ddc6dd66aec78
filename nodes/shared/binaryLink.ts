import { NodeOperationError, type IBinaryData, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { nodeRunIndex } from './operations/runIndex';
import { unreachableUrlReason } from './publicUrl';
import { itemLabel } from './validation';

/**
 * A binary input handed to a vendor that takes files by URL only: n8n's own signed link to the
 * binary (`helpers.createBinarySignedUrl`, `<WEBHOOK_URL>rest/binary-data/signed?token=<JWT>`,
 * served without login). Every case where the vendor could not fetch it is refused here, while
 * the item's input is read — before anything is sent (docs/n8n.md, "Binary input by signed link").
 */

/** MIME types that mean each file extension (what n8n and HTTP servers put on binaries). */
const MIME_TYPES: Record<string, readonly string[]> = {
	mp3: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mpeg-3'],
	wav: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
	m4a: ['audio/mp4', 'audio/x-m4a', 'audio/m4a'],
	aac: ['audio/aac', 'audio/x-aac'],
	mp4: ['video/mp4'],
	mov: ['video/quicktime', 'video/mov'],
	webm: ['video/webm'],
	avi: ['video/x-msvideo', 'video/avi', 'video/msvideo'],
	wmv: ['video/x-ms-wmv'],
	jpg: ['image/jpeg', 'image/jpg'],
	jpeg: ['image/jpeg', 'image/jpg'],
	png: ['image/png'],
	webp: ['image/webp'],
};

/** The file types a vendor fetches for one input. */
export interface FetchedFileRule {
	/** Extensions (no dot) the vendor takes, in the order messages list them. */
	extensions: readonly string[];
	/** What the file is, in messages: "audio", "video or image". */
	kind: string;
}

/** One input as the vendor will fetch it. */
export interface BinaryLink extends IDataObject {
	/** n8n's signed link to the binary. */
	url: string;
	/** The file type judged from the MIME type and file name (the link has no extension). */
	extension: string;
	fileName: string;
	mimeType: string;
}

export interface BinaryLinkRequest {
	/** The vendor that fetches the file, named in messages. */
	vendor: string;
	/** The node field naming the binary property ("Audio Input Binary Field"). */
	field: string;
	/** The binary property of the item. */
	property: string;
	accepts: FetchedFileRule;
	/** How long a job may queue at the vendor before it fetches its inputs. */
	queueMinutes: number;
	/** The vendor's default Wait Limit. */
	waitLimitDefaultMinutes: number;
}

const extensionOfName = (name: string | undefined): string | undefined => /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1].toLowerCase();
const dotted = (extensions: readonly string[]): string => extensions.map((e) => `.${e}`).join(' ');

function refuse(ctx: IExecuteFunctions, itemIndex: number, field: string, problem: string, description: string): never {
	throw new NodeOperationError(ctx.getNode(), `${itemLabel(itemIndex)}: "${field}" ${problem} — nothing was sent`, { itemIndex, description });
}

/**
 * The file type from the MIME type, or, when the MIME type says nothing (octet-stream, unknown,
 * missing), from the file name. A MIME type of another known type wins over the name.
 */
function judgeType(binary: IBinaryData, rule: FetchedFileRule): string | undefined {
	const mime = String(binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
	const known = Object.keys(MIME_TYPES).filter((extension) => MIME_TYPES[extension].includes(mime));
	if (known.length > 0) return known.find((extension) => rule.extensions.includes(extension));
	return [extensionOfName(binary.fileName), binary.fileExtension?.toLowerCase()].find(
		(extension): extension is string => extension !== undefined && rule.extensions.includes(extension),
	);
}

async function byteSize(ctx: IExecuteFunctions, binary: IBinaryData): Promise<number | undefined> {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id && typeof ctx.helpers.getBinaryMetadata === 'function') {
		const metadata = await ctx.helpers.getBinaryMetadata(binary.id);
		if (typeof metadata.fileSize === 'number') return metadata.fileSize;
	}
	return undefined;
}

/** Checks that `request.vendor` can fetch the item's binary, then returns n8n's signed link to it. */
export async function signedBinaryLink(ctx: IExecuteFunctions, itemIndex: number, request: BinaryLinkRequest): Promise<BinaryLink> {
	const { vendor, field, property, accepts } = request;
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const name = binary.fileName ?? property;
	const extension = judgeType(binary, accepts);
	if (!extension) {
		const what = `${name} (${binary.mimeType || 'no MIME type'})`;
		refuse(ctx, itemIndex, field, `holds ${what}, and ${vendor} takes ${accepts.kind} files ${dotted(accepts.extensions)} only`,
			`Point "${field}" at a binary field holding a ${dotted(accepts.extensions)} file, or convert the file first. The type is read from the binary's MIME type, else its file name.`);
	}
	if ((await byteSize(ctx, binary)) === 0) {
		refuse(ctx, itemIndex, field, `holds an empty file (${name}, 0 bytes)`, `Check the node that produced the binary field "${property}".`);
	}
	if (!binary.id || typeof ctx.helpers.createBinarySignedUrl !== 'function') {
		refuse(ctx, itemIndex, field, `cannot be linked for ${vendor}: this n8n keeps binary data in memory, where it cannot sign a link to a file`,
			'Set N8N_DEFAULT_BINARY_DATA_MODE=filesystem (or database, or s3) and restart n8n (n8n 1.90 or later): n8n signs links only to binary data it stores.');
	}
	const deletedAtEnd = fileDeletedWithExecution(ctx);
	if (deletedAtEnd) {
		refuse(ctx, itemIndex, field, `is a binary file, and ${deletedAtEnd}, so n8n deletes the file soon after this execution ends — before ${vendor} may fetch it (its queue can take ${request.queueMinutes} minutes)`,
			`Use the operation Create and Wait (the file stays while the node waits), or set the workflow setting "${deletedAtEnd.startsWith('this workflow does not save manual') ? 'Save manual executions' : 'Save successful production executions'}" to Save.`);
	}
	const url = signOnce(ctx, binary, linkLifetimeMinutes(ctx, request.waitLimitDefaultMinutes, request.queueMinutes));
	const unreachable = unreachableUrlReason(url, { vendor, httpsOnly: false });
	if (unreachable) {
		const origin = url.replace(/\?.*$/, '');
		refuse(ctx, itemIndex, field, `cannot be fetched by ${vendor}: n8n's link to the file (${origin}) is not public — ${unreachable}`,
			`${vendor} downloads the file from n8n over the internet. Set n8n's WEBHOOK_URL environment variable to n8n's public address (e.g. https://n8n.example.com/) and restart n8n, or give a public URL instead of a binary file.`);
	}
	return { url, extension, fileName: name, mimeType: binary.mimeType };
}

const LINKS_KEY = 'lipSyncBinaryLinks';

/**
 * One link per binary for one run of the node: a token minted later differs (it carries its
 * time), and Retry On Fail — which re-runs the node with the same run index — recognises an item
 * it already sent by its create input, link included. A new run (a loop's next batch) signs anew.
 */
function signOnce(ctx: IExecuteFunctions, binary: IBinaryData, lifetimeMinutes: number): string {
	const context = ctx.getContext('node');
	const runIndex = nodeRunIndex(ctx);
	const kept = context[LINKS_KEY] as { runIndex: number; links: Record<string, string> } | undefined;
	const memory = kept?.runIndex === runIndex ? kept : (context[LINKS_KEY] = { runIndex, links: {} });
	const key = `${binary.id}|${Math.ceil(lifetimeMinutes)}`;
	memory.links[key] ??= ctx.helpers.createBinarySignedUrl(binary, `${Math.ceil(lifetimeMinutes)}m`);
	return memory.links[key];
}

/**
 * Create ends the execution as soon as the vendor has answered, and the vendor fetches the file
 * later. An execution n8n does not keep takes its binary data with it (docs/n8n.md): why, or
 * undefined when the file outlives the execution.
 */
function fileDeletedWithExecution(ctx: IExecuteFunctions): string | undefined {
	if (ctx.getNodeParameter('operation', 0, '') !== 'create') return undefined;
	const settings = ctx.getWorkflowSettings?.() ?? {};
	if (ctx.getMode() === 'manual') {
		return settings.saveManualExecutions === false ? 'this workflow does not save manual executions' : undefined;
	}
	return settings.saveDataSuccessExecution === 'none' ? 'this workflow does not save successful executions' : undefined;
}

/**
 * How long a vendor may take to fetch an input: the longer of the user's Wait Limit and the
 * vendor's default (an agent's shorter wait must not shorten the link), plus the vendor's queue.
 */
function linkLifetimeMinutes(ctx: IExecuteFunctions, waitDefaultMinutes: number, queueMinutes: number): number {
	const options = (ctx.getNodeParameter('options', 0, {}) ?? {}) as IDataObject;
	const chosen = Number(options.waitLimitMinutes);
	const waitMinutes = Math.max(Number.isFinite(chosen) ? chosen : 0, waitDefaultMinutes);
	return waitMinutes + queueMinutes;
}

/** The "… Input Binary Field" of a vendor that fetches files by URL (same names as an upload vendor's). */
export function binaryLinkField(field: {
	displayName: string;
	name: string;
	default: string;
	/** "audio file (.wav .mp3 .m4a)" */
	holds: string;
	vendor: string;
	show: Record<string, string[]>;
	hide?: Record<string, string[]>;
}): INodeProperties {
	const property: INodeProperties = {
		displayName: field.displayName,
		name: field.name,
		type: 'string',
		default: 'data',
		required: true,
		placeholder: `e.g. ${field.default}`,
		description: `The name of the input binary field holding the ${field.holds}. ${field.vendor} fetches it from n8n by a signed link, so n8n must be reachable from the internet (its WEBHOOK_URL).`,
		displayOptions: field.hide ? { show: field.show, hide: field.hide } : { show: field.show },
	};
	// The literal default above is for the scanner, which reads literals; the field's own applies.
	property.default = field.default;
	return property;
}
