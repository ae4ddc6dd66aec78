import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { signedBinaryLink, type BinaryLink } from '../shared/binaryLink';
import { unreachableUrlReason } from '../shared/publicUrl';
import {
	httpUrl,
	itemLabel,
	oneOf,
	optionalHttpUrl,
	parseItemInput,
	readParameter,
	requiredText,
	urlPathExtension,
} from '../shared/validation';
import { VOZO_AUDIO_EXTENSIONS, VOZO_DISPLAY_NAMES, VOZO_IMAGE_EXTENSIONS, VOZO_VIDEO_EXTENSIONS } from './vozo.fields';

/**
 * Reading one item's Vozo create fields: Face Source (an option or an expression, so one sheet
 * can mix reference-file and reusable-model rows), the reference file type (Auto reads it from
 * the URL's extension), and a Callback URL that Vozo can actually reach.
 */

export interface VozoInput extends IDataObject {
	/** A binary reference file is sent as a reference file by n8n's link. */
	generationMode: 'referenceFile' | 'reusableModel';
	audioUrl: string;
	referenceFileUrl?: string;
	referenceFileType?: 'video' | 'image';
	model?: 'standard_v1' | 'precision_v1';
	modelId?: string;
	callbackUrl?: string;
}

const audioUrl = httpUrl(VOZO_AUDIO_EXTENSIONS, 'audio');
/** Documented: jobs take 10–20 minutes after up to 120 minutes of queue (docs/vendors.md, Vozo). */
const VOZO_QUEUE_MINUTES = 120;
/** Vozo's default Wait Limit (the adapter's waitDefaults; this file may not import the adapter). */
const VOZO_WAIT_LIMIT_DEFAULT_MINUTES = 150;
const GENERATION_MODES = ['referenceFile', 'binary', 'reusableModel'] as const;
const callbackUrl = optionalHttpUrl('callback');
const list = (extensions: readonly string[]) => extensions.map((e) => `.${e}`).join(' ');

/** `video` or `image` from the URL's extension; undefined when the extension is neither (or missing). */
export function vozoReferenceFileTypeOf(url: string): 'video' | 'image' | undefined {
	const extension = urlPathExtension(url) ?? '';
	if ((VOZO_IMAGE_EXTENSIONS as readonly string[]).includes(extension)) return 'image';
	if ((VOZO_VIDEO_EXTENSIONS as readonly string[]).includes(extension)) return 'video';
	return undefined;
}

function autoTypeProblem(url: string): string {
	const extension = urlPathExtension(url);
	const found = extension ? `ends in ".${extension}", which is neither` : 'has no file extension (a signed or generated link?), so it is neither';
	return `is "Auto", but the Reference File URL ${found} a video (${list(VOZO_VIDEO_EXTENSIONS)}) nor an image (${list(VOZO_IMAGE_EXTENSIONS)}): choose Video or Image`;
}

const referenceFileSchema = z
	.object({
		generationMode: z.literal('referenceFile'),
		referenceFileType: oneOf(['auto', 'video', 'image']),
		referenceFileUrl: httpUrl(undefined, 'video'),
		model: oneOf(['standard_v1', 'precision_v1']),
		audioUrl,
		callbackUrl,
	})
	.superRefine((value, ctx) => {
		const auto = value.referenceFileType === 'auto';
		const type = auto ? vozoReferenceFileTypeOf(value.referenceFileUrl) : value.referenceFileType;
		if (type === undefined) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: autoTypeProblem(value.referenceFileUrl), path: ['referenceFileType'] });
			return;
		}
		const allowed = type === 'image' ? VOZO_IMAGE_EXTENSIONS : VOZO_VIDEO_EXTENSIONS;
		const check = httpUrl(allowed, type).safeParse(value.referenceFileUrl);
		if (!check.success) ctx.addIssue({ ...check.error.issues[0], path: ['referenceFileUrl'] } as z.IssueData);
	})
	.transform((value) => ({
		...value,
		referenceFileType: value.referenceFileType === 'auto' ? vozoReferenceFileTypeOf(value.referenceFileUrl)! : value.referenceFileType,
	}));

const reusableModelSchema = z.object({
	generationMode: z.literal('reusableModel'),
	modelId: requiredText('the ID of a reusable lip-sync model'),
	audioUrl,
	callbackUrl,
});

/** Sheet-friendly spellings ("Reusable Model", "reusable_model", "Image", "Binary File") mean the option. */
function optionValue(raw: unknown, values: readonly string[]): unknown {
	if (typeof raw !== 'string') return raw;
	const squashed = raw.replace(/[\s_-]/g, '').toLowerCase();
	const found = values.find((value) => value.toLowerCase() === squashed);
	return found === 'binaryFile' ? 'binary' : (found ?? raw);
}

/** A Callback URL Vozo cannot reach would make a paid job whose callbacks never arrive. */
function checkCallbackReachable(ctx: IExecuteFunctions, itemIndex: number, url: string | undefined): void {
	if (!url) return;
	const reason = unreachableUrlReason(url, { vendor: 'Vozo', httpsOnly: false });
	if (!reason) return;
	const field = VOZO_DISPLAY_NAMES.callbackUrl;
	throw new NodeOperationError(ctx.getNode(), `${itemLabel(itemIndex)}: "${field}" cannot be reached by Vozo: ${reason} — nothing was sent`, {
		itemIndex,
		description:
			"Vozo calls this URL from the internet. Use n8n's public address: set n8n's WEBHOOK_URL environment variable to it (e.g. https://n8n.example.com/), restart n8n and copy the Lip Sync Trigger's Production URL again.",
	});
}

/**
 * n8n does not save a parameter that equals its default, and version 1 nodes were saved while
 * Video was the default: they keep Video (a link without an extension stays valid for them).
 */
const defaultReferenceFileType = (ctx: IExecuteFunctions): string => (ctx.getNode().typeVersion >= 1.1 ? 'auto' : 'video');

/** A binary input as Vozo fetches it: n8n's signed link, refused first if Vozo could not fetch it. */
async function vozoBinaryLink(ctx: IExecuteFunctions, itemIndex: number, property: string, accepts: 'face' | 'audio'): Promise<BinaryLink> {
	const field = accepts === 'face' ? 'referenceFileBinaryProperty' : 'audioBinaryProperty';
	const raw = { [field]: readParameter(ctx, field, itemIndex) ?? property };
	const name = parseItemInput(ctx, itemIndex, z.object({ [field]: requiredText('the name of an input binary field') }), raw, VOZO_DISPLAY_NAMES)[field];
	return await signedBinaryLink(ctx, itemIndex, {
		vendor: 'Vozo',
		field: VOZO_DISPLAY_NAMES[field],
		property: name,
		accepts:
			accepts === 'face'
				? { extensions: [...VOZO_VIDEO_EXTENSIONS, ...VOZO_IMAGE_EXTENSIONS], kind: 'video or image' }
				: { extensions: VOZO_AUDIO_EXTENSIONS, kind: 'audio' },
		queueMinutes: VOZO_QUEUE_MINUTES,
		waitLimitDefaultMinutes: VOZO_WAIT_LIMIT_DEFAULT_MINUTES,
	});
}

export async function readVozoCreateInput(ctx: IExecuteFunctions, itemIndex: number): Promise<VozoInput> {
	const chosen = parseItemInput(
		ctx,
		itemIndex,
		z.object({ generationMode: oneOf(GENERATION_MODES) }),
		{ generationMode: optionValue(readParameter(ctx, 'generationMode', itemIndex) ?? 'referenceFile', [...GENERATION_MODES, 'binaryFile']) },
		VOZO_DISPLAY_NAMES,
	).generationMode;
	const generationMode = chosen === 'reusableModel' ? 'reusableModel' : 'referenceFile';
	const options = (readParameter(ctx, 'options', itemIndex) ?? {}) as IDataObject;
	const audioSource = parseItemInput(ctx, itemIndex, z.object({ audioSource: oneOf(['url', 'binary']) }), { audioSource: readParameter(ctx, 'audioSource', itemIndex) ?? 'url' }, VOZO_DISPLAY_NAMES).audioSource;
	// A binary's link is a public URL without an extension: it passes the URL checks below.
	const audio = audioSource === 'binary' ? await vozoBinaryLink(ctx, itemIndex, 'data', 'audio') : undefined;
	const common = { generationMode, audioUrl: audio?.url ?? readParameter(ctx, 'audioUrl', itemIndex), callbackUrl: options.callbackUrl };
	let input: VozoInput;
	if (chosen === 'binary') {
		const face = await vozoBinaryLink(ctx, itemIndex, 'face', 'face');
		const raw = {
			...common,
			referenceFileType: (VOZO_IMAGE_EXTENSIONS as readonly string[]).includes(face.extension) ? 'image' : 'video',
			referenceFileUrl: face.url,
			model: readParameter(ctx, 'model', itemIndex) ?? 'standard_v1',
		};
		input = parseItemInput(ctx, itemIndex, referenceFileSchema, raw, VOZO_DISPLAY_NAMES) as VozoInput;
	} else if (generationMode === 'reusableModel') {
		const raw = { ...common, modelId: readParameter(ctx, 'modelId', itemIndex) };
		input = parseItemInput(ctx, itemIndex, reusableModelSchema, raw, VOZO_DISPLAY_NAMES) as VozoInput;
	} else {
		const raw = {
			...common,
			referenceFileType: optionValue(readParameter(ctx, 'referenceFileType', itemIndex) ?? defaultReferenceFileType(ctx), [
				'auto',
				'video',
				'image',
			]),
			referenceFileUrl: readParameter(ctx, 'referenceFileUrl', itemIndex),
			model: readParameter(ctx, 'model', itemIndex) ?? 'standard_v1',
		};
		input = parseItemInput(ctx, itemIndex, referenceFileSchema, raw, VOZO_DISPLAY_NAMES) as VozoInput;
	}
	checkCallbackReachable(ctx, itemIndex, input.callbackUrl);
	return input;
}
