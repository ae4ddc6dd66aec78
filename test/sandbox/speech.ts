/**
 * Speech to feed the vendors' audio inputs: a real WAV file (16-bit mono PCM, 8 kHz, a 440 Hz
 * tone) of exactly the size asked for, as a text-to-speech node would output; and the photo
 * fixture as a face image.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Route } from './http';

const SAMPLE_RATE = 8000;
const HEADER_BYTES = 44;
/** One second of speech: the size when none is asked for. */
export const DEFAULT_SPEECH_BYTES = HEADER_BYTES + SAMPLE_RATE * 2;

export const FACE_IMAGE = readFileSync(join(__dirname, 'fixtures', 'cover.jpg'));

let lastWav: Buffer | undefined;

/** A valid WAV of `totalBytes` (even, ≥ 46); the same size gives the same bytes (the last one is kept: batches ask for one size). */
export function speechWav(totalBytes = DEFAULT_SPEECH_BYTES): Buffer {
	if (lastWav?.length === totalBytes) return lastWav;
	const dataBytes = totalBytes - HEADER_BYTES;
	const wav = Buffer.alloc(totalBytes);
	wav.write('RIFF', 0, 'latin1');
	wav.writeUInt32LE(totalBytes - 8, 4);
	wav.write('WAVEfmt ', 8, 'latin1');
	wav.writeUInt32LE(16, 16); // fmt chunk size
	wav.writeUInt16LE(1, 20); // PCM
	wav.writeUInt16LE(1, 22); // mono
	wav.writeUInt32LE(SAMPLE_RATE, 24);
	wav.writeUInt32LE(SAMPLE_RATE * 2, 28); // bytes per second
	wav.writeUInt16LE(2, 32); // block align
	wav.writeUInt16LE(16, 34); // bits per sample
	wav.write('data', 36, 'latin1');
	wav.writeUInt32LE(dataBytes, 40);
	for (let i = 0; i < dataBytes / 2; i++) {
		wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE)), HEADER_BYTES + i * 2);
	}
	lastWav = wav;
	return wav;
}

const MAX_SPEECH_BYTES = 64 * 1024 * 1024;

/** `GET /files/speech.wav?bytes=N` and `GET /files/face.jpg`. */
export const SPEECH_ROUTES: Route[] = [
	{
		method: 'GET',
		path: '/speech.wav',
		endpoint: 'download',
		kind: 'download',
		auth: false,
		handler: (ctx) => {
			const asked = ctx.url.searchParams.get('bytes');
			const bytes = asked === null ? DEFAULT_SPEECH_BYTES : Number(asked);
			if (!Number.isInteger(bytes) || bytes < HEADER_BYTES + 2 || bytes % 2 !== 0 || bytes > MAX_SPEECH_BYTES) {
				return ctx.text(400, `bytes must be an even number from ${HEADER_BYTES + 2} to ${MAX_SPEECH_BYTES}`);
			}
			const wav = speechWav(bytes);
			ctx.res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': wav.length, 'Content-Disposition': 'attachment; filename="speech.wav"' });
			ctx.res.end(ctx.req.method === 'HEAD' ? undefined : wav);
		},
	},
	{
		method: 'GET',
		path: '/face.jpg',
		endpoint: 'download',
		kind: 'download',
		auth: false,
		handler: (ctx) => {
			ctx.res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': FACE_IMAGE.length });
			ctx.res.end(ctx.req.method === 'HEAD' ? undefined : FACE_IMAGE);
		},
	},
];
