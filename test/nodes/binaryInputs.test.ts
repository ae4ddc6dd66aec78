/**
 * Binary File as Face Source and Speech Source on the vendors that take URLs only: the vendor gets
 * n8n's signed link to the binary and fetches it (the sandbox records the sha256 of what it
 * fetched); every case where it could not is refused before anything is sent.
 *
 * n8n's public address here is https://lipsync-demo.example.test (runNode's instanceBaseUrl): the
 * sandbox maps it to a stand-in of n8n's signed-binary route that answers with n8n-core's own
 * BinaryDataService (test/harness/signedBinaryServer.ts).
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { makeBinaryInputItem, startSignedBinaryServer, type BinaryInput, type SignedBinaryServer } from '../harness';
import { VENDOR_MODULES } from '../../nodes/registry';
import { adapterOf } from '../registry/registeredNodes';
import { FACE_IMAGE, FIXTURE, speechWav, startSandbox, type Sandbox, type Vendor } from '../sandbox';

import { JOB_MS, jsonOf, runVendor } from './nodeKit';

const PUBLIC_N8N = 'https://lipsync-demo.example.test';
const SIGNED_LINK = `${PUBLIC_N8N}/rest/binary-data/signed?token=`;

let sb: Sandbox;
let n8n: SignedBinaryServer;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: JOB_MS, jitterMs: 0 });
	n8n = await startSignedBinaryServer();
});
beforeEach(() => sb.setOptions({ webhookHostRewrite: { [PUBLIC_N8N]: n8n.url } }));
afterEach(() => sb.reset());
afterAll(async () => {
	await sb.close();
	await n8n.close();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** One item with several binary properties, stored in n8n's binary store like an earlier node's output. */
async function binaryItem(files: Record<string, Omit<BinaryInput, 'propertyName'>>, json: IDataObject = {}): Promise<INodeExecutionData> {
	const item: INodeExecutionData = { json, binary: {} };
	for (const [propertyName, file] of Object.entries(files)) {
		const made = await makeBinaryInputItem({}, { ...file, propertyName });
		item.binary![propertyName] = made.binary![propertyName];
	}
	return item;
}

const SPEECH = speechWav(6000);
const speechFile = { buffer: SPEECH, mimeType: 'audio/wav', fileName: 'speech.wav' };
const faceVideo = { buffer: FIXTURE, mimeType: 'video/mp4', fileName: 'presenter.mp4' };
const facePhoto = { buffer: FACE_IMAGE, mimeType: 'image/jpeg', fileName: 'face.jpg' };

/**
 * The vendors that take URLs only (no upload step before the create): a binary input reaches them
 * as n8n's signed link. Their binary face and speech fields are the adapter's own mapping of the
 * Lip Sync node's core input, so a vendor added to the registry is covered here without an edit.
 */
const LINK_VENDORS = VENDOR_MODULES.filter(({ adapter }) => !adapter.prepareCreateInput).map(({ adapter }) => adapter);
const BINARY_CORE = { face: { source: 'binary', url: '', binaryPropertyName: 'face' }, speech: { source: 'binary', url: '', binaryPropertyName: 'speech' } } as const;

function binaryParametersOf(vendor: Vendor): INodeParameters {
	const parameters = adapterOf(vendor).coreInput.parameters(BINARY_CORE);
	if ('refused' in parameters) throw new Error(`${vendor} takes no binary face and speech: ${String(parameters.refused)}`);
	return parameters as INodeParameters;
}

/** Modellix's reference face photo, a binary field besides the core input. */
const MODELLIX_PHOTO = { referenceFaceSource: 'binary', referenceFaceImageBinaryProperty: 'photo' };

const fetchedBy = (vendor: Vendor) => sb.jobs.list(vendor).flatMap((job) => job.inputFiles ?? []);

describe('binary face and speech reach the vendor byte for byte', () => {
	it.each(LINK_VENDORS.map((adapter) => adapter.provider as Vendor))("%s: the sandbox fetched exactly the bytes of the binary fields (sha256) through n8n's signed links, and the job succeeded", async (vendor) => {
		const item = await binaryItem({ face: faceVideo, speech: speechFile });
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: [item], parameters: binaryParametersOf(vendor), instanceBaseUrl: PUBLIC_N8N });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0].status).toBe('succeeded');
		const files = fetchedBy(vendor);
		for (const file of files) expect(file.url.startsWith(SIGNED_LINK)).toBe(true);
		const hashes = Object.fromEntries(files.map((file) => [file.kind, file.sha256]));
		expect(hashes).toEqual({ audio: sha256(SPEECH), video: sha256(FIXTURE) });
		expect(files.every((file) => file.fetched && file.usable)).toBe(true);
	});

	it('Modellix: a binary reference face photo reaches it byte for byte through its signed link, beside the face video and speech', async () => {
		const item = await binaryItem({ face: faceVideo, speech: speechFile, photo: facePhoto });
		const result = await runVendor(sb, 'modellix', { operation: 'createAndWait', inputItems: [item], parameters: { ...binaryParametersOf('modellix'), ...MODELLIX_PHOTO }, instanceBaseUrl: PUBLIC_N8N });
		expect(jsonOf(result)[0].status).toBe('succeeded');
		const files = fetchedBy('modellix');
		expect(Object.fromEntries(files.map((file) => [file.kind, file.sha256]))).toEqual({ audio: sha256(SPEECH), video: sha256(FIXTURE), image: sha256(FACE_IMAGE) });
		expect(files.every((file) => file.fetched && file.usable && file.url.startsWith(SIGNED_LINK))).toBe(true);
	});

	it('Vozo: a binary photo is sent as reference_file_type "image", judged from its MIME type (the link has no extension)', async () => {
		const item = await binaryItem({ face: { ...facePhoto, fileName: 'portrait' }, speech: speechFile });
		const result = await runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: [item], parameters: binaryParametersOf('vozo'), instanceBaseUrl: PUBLIC_N8N });
		expect(jsonOf(result)[0].status).toBe('succeeded');
		const create = sb.log.entries({ vendor: 'vozo', endpoint: 'create' })[0].requestBody as IDataObject;
		expect(create.reference_file_type).toBe('image');
		expect(fetchedBy('vozo')[0]).toMatchObject({ sha256: sha256(FACE_IMAGE), kind: 'image' });
	});

	it("the link stays valid for the node's wait limit plus the vendor's queue: Vozo 150 + 120 minutes by default, 300 + 120 with Wait Limit 300", async () => {
		const lifetimes: number[] = [];
		for (const options of [{}, { waitLimitMinutes: 300 }]) {
			const item = await binaryItem({ speech: speechFile });
			await runVendor(sb, 'vozo', { operation: 'create', inputItems: [item], parameters: { audioSource: 'binary', audioBinaryProperty: 'speech' }, options, instanceBaseUrl: PUBLIC_N8N });
			const sent = sb.log.entries({ vendor: 'vozo', endpoint: 'create' }).at(-1)!.requestBody as IDataObject;
			const token = new URL(String(sent.audio_url)).searchParams.get('token')!;
			const { iat, exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iat: number; exp: number };
			lifetimes.push((exp - iat) / 60);
		}
		expect(lifetimes).toEqual([150 + 120, 300 + 120]);
	});

	it('a binary with a generic MIME type is judged by its file name: voice.mp3 (application/octet-stream) is sent as audio', async () => {
		const item = await binaryItem({ speech: { buffer: Buffer.concat([Buffer.from('ID3'), Buffer.alloc(500)]), mimeType: 'application/octet-stream', fileName: 'voice.mp3' } });
		const result = await runVendor(sb, 'vozo', {
			operation: 'createAndWait',
			inputItems: [item],
			parameters: { audioSource: 'binary', audioBinaryProperty: 'speech' },
			instanceBaseUrl: PUBLIC_N8N,
		});
		expect(jsonOf(result)[0].status).toBe('succeeded');
		expect(fetchedBy('vozo').find((file) => file.field === 'audio_url')).toMatchObject({ format: 'mp3', usable: true });
	});

	it('Retry On Fail does not send a binary item again: the retry carries the same link, so the node recognises the job it already paid for', async () => {
		// Audio by its label, not by its bytes: Personate fetches it and fails the job; the node then fails and n8n retries it.
		const notAudio = { buffer: Buffer.alloc(800, 7), mimeType: 'audio/wav', fileName: 'speech.wav' };
		const item = await binaryItem({ face: faceVideo, speech: notAudio });
		const result = await runVendor(sb, 'personate', {
			operation: 'createAndWait',
			inputItems: [item],
			parameters: binaryParametersOf('personate'),
			instanceBaseUrl: PUBLIC_N8N,
			options: { onJobFailure: 'error' },
			retryOnFail: true,
			maxTries: 2,
			// Longer than a second: a link signed again would carry another issue time.
			waitBetweenTries: 1100,
		});
		expect(result.error?.message).toContain('the job failed');
		expect(sb.log.count({ vendor: 'personate', endpoint: 'create' })).toBe(1);
	});
});

describe('refused before anything is sent, saying what to set', () => {
	const audioOnly = { audioSource: 'binary', audioBinaryProperty: 'speech' };

	async function refusal(vendor: Vendor, item: INodeExecutionData, parameters: INodeParameters, extra: Parameters<typeof runVendor>[2] extends infer R ? Partial<R> : never = {}) {
		const result = await runVendor(sb, vendor, { operation: 'createAndWait', inputItems: [item], parameters, instanceBaseUrl: PUBLIC_N8N, ...extra });
		expect(sb.log.entries({ vendor })).toHaveLength(0);
		expect(n8n.requests).toHaveLength(0);
		return { message: String(result.error?.message), description: String(result.error?.description) };
	}

	beforeEach(() => n8n.requests.splice(0));

	it("n8n without a public address (WEBHOOK_URL unset): the vendor could not fetch n8n's link — zero requests, and the message says to set WEBHOOK_URL", async () => {
		const item = await binaryItem({ speech: speechFile });
		const { message, description } = await refusal('vozo', item, audioOnly, { instanceBaseUrl: 'http://localhost:5678' });
		expect(message).toBe(
			'Item 0: "Audio Input Binary Field" cannot be fetched by Vozo: n8n\'s link to the file (http://localhost:5678/rest/binary-data/signed) is not public — its host localhost is this machine (loopback) — nothing was sent',
		);
		expect(description).toContain("Set n8n's WEBHOOK_URL environment variable to n8n's public address");
	});

	it('binary data kept in memory (binary mode "default"), which n8n cannot sign: zero requests, and the message says which binary mode to set', async () => {
		const inMemory: INodeExecutionData = { json: {}, binary: { speech: { data: SPEECH.toString('base64'), mimeType: 'audio/wav', fileName: 'speech.wav' } } };
		const { message, description } = await refusal('personate', inMemory, { scriptSource: 'binary', audioBinaryProperty: 'speech', actorSource: 'video' });
		expect(message).toBe(
			'Item 0: "Audio Input Binary Field" cannot be linked for Personate: this n8n keeps binary data in memory, where it cannot sign a link to a file — nothing was sent',
		);
		expect(description).toContain('N8N_DEFAULT_BINARY_DATA_MODE=filesystem');
	});

	it('a file type the vendor refuses, judged from the MIME type and file name: zero requests, and the message names the types it takes', async () => {
		const pdf = await binaryItem({ speech: { buffer: Buffer.from('%PDF-1.4'), mimeType: 'application/pdf', fileName: 'script.pdf' } });
		expect((await refusal('vozo', pdf, audioOnly)).message).toBe(
			'Item 0: "Audio Input Binary Field" holds script.pdf (application/pdf), and Vozo takes audio files .wav .mp3 .m4a only — nothing was sent',
		);
		const ogg = await binaryItem({ speech: { buffer: Buffer.from('OggS0000'), mimeType: 'application/octet-stream', fileName: 'voice.ogg' } });
		expect((await refusal('vozo', ogg, audioOnly)).message).toContain('holds voice.ogg (application/octet-stream), and Vozo takes audio files .wav .mp3 .m4a only');
		const videoAsPhoto = await binaryItem({ photo: { buffer: FIXTURE, mimeType: 'video/mp4', fileName: 'face.mp4' } });
		expect((await refusal('modellix', videoAsPhoto, { videoUrl: 'https://cdn.example.test/face.mp4', audioUrl: 'https://cdn.example.test/voice.mp3', referenceFaceSource: 'binary', referenceFaceImageBinaryProperty: 'photo' })).message).toBe(
			'Item 0: "Reference Face Image Input Binary Field" holds face.mp4 (video/mp4), and Modellix takes image files .jpg .jpeg .png .webp only — nothing was sent',
		);
	});

	it('an empty file (0 bytes): zero requests, and the message names the file', async () => {
		const empty = await binaryItem({ speech: { buffer: Buffer.alloc(0), mimeType: 'audio/mpeg', fileName: 'voice.mp3' } });
		expect((await refusal('vozo', empty, audioOnly)).message).toBe('Item 0: "Audio Input Binary Field" holds an empty file (voice.mp3, 0 bytes) — nothing was sent');
	});

	it('Create alone in a workflow that does not save successful executions (n8n deletes the file after the run): zero requests, and the message says to use Create and Wait or save executions', async () => {
		const item = await binaryItem({ speech: speechFile });
		const { message, description } = await refusal('vozo', item, audioOnly, { operation: 'create', mode: 'trigger', settings: { saveDataSuccessExecution: 'none' } });
		expect(message).toContain('"Audio Input Binary Field" is a binary file, and this workflow does not save successful executions, so n8n deletes the file soon after this execution ends — before Vozo may fetch it (its queue can take 120 minutes)');
		expect(description).toContain('Use the operation Create and Wait');
		expect(description).toContain('"Save successful production executions" to Save');
	});

	it('the same workflow with Create and Wait is not refused: the file stays while the node waits, and the vendor gets it', async () => {
		const item = await binaryItem({ speech: speechFile });
		const result = await runVendor(sb, 'vozo', { operation: 'createAndWait', inputItems: [item], parameters: audioOnly, instanceBaseUrl: PUBLIC_N8N, mode: 'trigger', settings: { saveDataSuccessExecution: 'none' } });
		expect(jsonOf(result)[0].status).toBe('succeeded');
		expect(fetchedBy('vozo').find((file) => file.field === 'audio_url')?.sha256).toBe(sha256(SPEECH));
	});
});
