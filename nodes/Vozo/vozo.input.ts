import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

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
	generationMode: 'referenceFile' | 'reusableModel';
	audioUrl: string;
	referenceFileUrl?: string;
	referenceFileType?: 'video' | 'image';
	model?: 'standard_v1' | 'precision_v1';
	modelId?: string;
	callbackUrl?: string;
}

const audioUrl = httpUrl(VOZO_AUDIO_EXTENSIONS, 'audio');
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

/** Sheet-friendly spellings ("Reusable Model", "reusable_model", "Image") mean the option. */
function optionValue(raw: unknown, values: readonly string[]): unknown {
	if (typeof raw !== 'string') return raw;
	const squashed = raw.replace(/[\s_-]/g, '').toLowerCase();
	return values.find((value) => value.toLowerCase() === squashed) ?? raw;
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

export function readVozoCreateInput(ctx: IExecuteFunctions, itemIndex: number): VozoInput {
	const generationMode = parseItemInput(
		ctx,
		itemIndex,
		z.object({ generationMode: oneOf(['referenceFile', 'reusableModel']) }),
		{ generationMode: optionValue(readParameter(ctx, 'generationMode', itemIndex) ?? 'referenceFile', ['referenceFile', 'reusableModel']) },
		VOZO_DISPLAY_NAMES,
	).generationMode;
	const options = (readParameter(ctx, 'options', itemIndex) ?? {}) as IDataObject;
	const common = { generationMode, audioUrl: readParameter(ctx, 'audioUrl', itemIndex), callbackUrl: options.callbackUrl };
	let input: VozoInput;
	if (generationMode === 'reusableModel') {
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
