import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { signedBinaryLink } from '../shared/binaryLink';
import { oneOf, parseItemInput, readParameter, requiredText } from '../shared/validation';
import { MODELLIX_FETCHED_AUDIO, MODELLIX_FETCHED_IMAGE, MODELLIX_FETCHED_VIDEO, MODELLIX_QUEUE_MINUTES } from './modellix.assumptions';
import { MODELLIX_DISPLAY_NAMES } from './modellix.fields';

/**
 * Vidu lip sync's three inputs, each a URL or a binary file of the item; a binary is handed to
 * Modellix as n8n's signed link (nodes/shared/binaryLink.ts).
 */

const sourcesSchema = z.object({
	videoSource: oneOf(['url', 'binary']),
	audioSource: oneOf(['url', 'binary']),
	referenceFaceSource: oneOf(['url', 'binary']),
});

/** Each URL input of Vidu lip sync, and its binary alternative. */
const VIDU_INPUTS = {
	videoUrl: { source: 'videoSource', binaryField: 'videoBinaryProperty', binaryDefault: 'video', accepts: { extensions: MODELLIX_FETCHED_VIDEO, kind: 'video' } },
	audioUrl: { source: 'audioSource', binaryField: 'audioBinaryProperty', binaryDefault: 'data', accepts: { extensions: MODELLIX_FETCHED_AUDIO, kind: 'audio' } },
	referenceFaceImageUrl: {
		source: 'referenceFaceSource',
		binaryField: 'referenceFaceImageBinaryProperty',
		binaryDefault: 'image',
		accepts: { extensions: MODELLIX_FETCHED_IMAGE, kind: 'image' },
	},
} as const;

/** Reads Vidu's three inputs: a URL field as typed, a binary field as n8n's signed link to it. */
export async function readViduInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	waitLimitDefaultMinutes: number,
): Promise<Record<keyof typeof VIDU_INPUTS, unknown>> {
	const names = MODELLIX_DISPLAY_NAMES;
	const sources = parseItemInput(
		ctx,
		itemIndex,
		sourcesSchema,
		{
			videoSource: readParameter(ctx, 'videoSource', itemIndex) ?? 'url',
			audioSource: readParameter(ctx, 'audioSource', itemIndex) ?? 'url',
			referenceFaceSource: readParameter(ctx, 'referenceFaceSource', itemIndex) ?? 'url',
		},
		names,
	);
	const raw: Record<string, unknown> = {};
	for (const [urlField, input] of Object.entries(VIDU_INPUTS)) {
		if (sources[input.source] !== 'binary') {
			raw[urlField] = readParameter(ctx, urlField, itemIndex);
			continue;
		}
		const fieldRaw = { [input.binaryField]: readParameter(ctx, input.binaryField, itemIndex) ?? input.binaryDefault };
		const property = parseItemInput(ctx, itemIndex, z.object({ [input.binaryField]: requiredText('the name of an input binary field') }), fieldRaw, names)[input.binaryField];
		const link = await signedBinaryLink(ctx, itemIndex, {
			vendor: 'Modellix',
			field: names[input.binaryField],
			property,
			accepts: input.accepts,
			queueMinutes: MODELLIX_QUEUE_MINUTES,
			waitLimitDefaultMinutes,
		});
		raw[urlField] = link.url;
	}
	return raw as Record<keyof typeof VIDU_INPUTS, unknown>;
}

