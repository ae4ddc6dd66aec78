import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { unreachableUrlReason } from '../shared/publicUrl';
import { httpUrl, invalidItemInput, oneOf, parseItemInput, readParameter, requiredText } from '../shared/validation';
import { readSyncSoBinary, type SyncSoBinarySource } from './syncSo.assets';
import { SYNCSO_DEFAULT_SYNC_MODE } from './syncSo.assumptions';
import { SYNCSO_DISPLAY_NAMES, SYNCSO_EMOTIONS, SYNCSO_MODEL_MODES, SYNCSO_SYNC_MODES } from './syncSo.fields';

/** One create's fields, read and checked; binaries become asset ids in prepareCreateInput. */
export interface SyncSoInput extends IDataObject {
	model: string;
	video: { url?: string; assetId?: string; binary?: SyncSoBinarySource };
	speech: { url?: string; assetId?: string; binary?: SyncSoBinarySource; voiceId?: string; script?: string };
	/** sync.so's `options` (snake_case, as documented). */
	options: IDataObject;
	outputFileName?: string;
	/** Where sync.so POSTs the generation when it ends (the create's `webhookUrl`). */
	webhookUrl?: string;
}

const REACT_MODEL = 'react-1';

const fieldsSchema = z.object({
	// The list offers the documented models; an expression may name a newer one sync.so lists.
	model: requiredText('a sync.so model').regex(/^[a-z0-9][a-z0-9.-]*$/i, { message: 'must be a sync.so model id such as "lipsync-2"' }),
	videoSource: oneOf(['url', 'binary']),
	audioSource: oneOf(['url', 'binary', 'text']),
	syncMode: oneOf(['', ...SYNCSO_SYNC_MODES]),
	outputFileName: z.string().trim().regex(/^[A-Za-z0-9_-]{0,255}$/, { message: 'may hold only letters, digits, _ and -, up to 255 (no extension)' }).optional(),
	temperature: z.number({ invalid_type_error: 'must be a number' }).min(0, { message: 'must be between 0 and 1' }).max(1, { message: 'must be between 0 and 1' }).optional(),
	occlusionDetection: z.boolean().optional(),
	modelMode: oneOf(SYNCSO_MODEL_MODES).optional(),
	emotion: oneOf(SYNCSO_EMOTIONS).optional(),
});

const binaryName = requiredText('the name of an input binary field');

export async function readSyncSoCreateInput(ctx: IExecuteFunctions, itemIndex: number): Promise<SyncSoInput> {
	const names = SYNCSO_DISPLAY_NAMES;
	const read = (name: string) => readParameter(ctx, name, itemIndex);
	const extra = (read('generationOptions') ?? {}) as IDataObject;
	const fields = parseItemInput(ctx, itemIndex, fieldsSchema, {
		model: read('model') ?? 'lipsync-2',
		videoSource: read('videoSource') ?? 'url',
		audioSource: read('audioSource') ?? 'url',
		syncMode: read('syncMode') ?? SYNCSO_DEFAULT_SYNC_MODE,
		...extra,
	}, names);
	if ((fields.modelMode !== undefined || fields.emotion !== undefined) && fields.model !== REACT_MODEL) {
		invalidItemInput(ctx, itemIndex, fields.emotion !== undefined ? names.emotion : names.modelMode, `applies to the React 1 model only; the model is "${fields.model}"`);
	}
	const one = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, name: string): T =>
		parseItemInput(ctx, itemIndex, z.object({ [name]: schema }), { [name]: read(name) }, names)[name] as T;

	const video: SyncSoInput['video'] =
		fields.videoSource === 'url'
			? { url: one(httpUrl(undefined, 'video'), 'videoUrl') }
			: { binary: await readSyncSoBinary(ctx, itemIndex, 'video', one(binaryName, 'videoBinaryProperty'), names.videoBinaryProperty) };
	let speech: SyncSoInput['speech'];
	if (fields.audioSource === 'url') speech = { url: one(httpUrl(undefined, 'audio'), 'audioUrl') };
	else if (fields.audioSource === 'binary') speech = { binary: await readSyncSoBinary(ctx, itemIndex, 'audio', one(binaryName, 'audioBinaryProperty'), names.audioBinaryProperty) };
	else speech = { voiceId: one(requiredText('a voice ID'), 'voiceId'), script: one(requiredText('the text to speak'), 'script') };

	const options: IDataObject = {};
	if (fields.syncMode) options.sync_mode = fields.syncMode;
	if (fields.temperature !== undefined) options.temperature = fields.temperature;
	if (fields.occlusionDetection) options.occlusion_detection_enabled = true;
	if (fields.modelMode) options.model_mode = fields.modelMode;
	if (fields.emotion) options.prompt = fields.emotion;
	const input: SyncSoInput = { model: fields.model, video, speech, options };
	if (fields.outputFileName) input.outputFileName = fields.outputFileName;
	const webhookUrl = String(((read('options') ?? {}) as IDataObject).webhookUrl ?? '').trim();
	if (webhookUrl) {
		// A URL sync.so cannot call would make a paid generation whose webhook never arrives.
		const unreachable = unreachableUrlReason(webhookUrl, { vendor: 'sync.so', httpsOnly: true });
		if (unreachable) invalidItemInput(ctx, itemIndex, names.webhookUrl, `cannot be reached by sync.so: ${unreachable} — nothing was sent`);
		input.webhookUrl = webhookUrl;
	}
	return input;
}
