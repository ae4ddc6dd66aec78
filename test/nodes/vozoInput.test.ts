/**
 * Vozo's create fields through n8n-core and the sandbox: Reference File Type "Auto" reads the
 * type from the URL's extension (what Vozo receives is in the sandbox's request log), and Face
 * Source accepts an expression, so one sheet can mix reference-file and reusable-model rows.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { audioFor, jsonOf, runVendor } from './nodeKit';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobDurationMs: 200, jitterMs: 0 });
});
afterEach(() => sb.reset());
afterAll(async () => await sb.close());

const createBodies = () => sb.log.entries({ vendor: 'vozo', endpoint: 'create' }).map((e) => e.requestBody as IDataObject);

/** Create (no waiting) with the reference URL and type of each row. */
async function createFrom(rows: Array<{ url: string; type?: string }>, typeVersion?: number) {
	const inputItems: INodeExecutionData[] = rows.map((row, i) => ({ json: { face: row.url, audio: audioFor(i), ...(row.type ? { type: row.type } : {}) } }));
	return await runVendor(sb, 'vozo', {
		operation: 'create',
		inputItems,
		typeVersion,
		parameters: {
			referenceFileUrl: '={{ $json.face }}',
			referenceFileType: rows.some((row) => row.type) ? '={{ $json.type }}' : 'auto',
		},
	});
}

describe('Reference File Type "Auto (From the URL\'s Extension)"', () => {
	it('is the default of a new node (1.1), and Video stays the default of a saved version 1 node', async () => {
		const fresh = await runVendor(sb, 'vozo', { operation: 'create', inputItems: [{ json: { audio: audioFor(0) } }], parameters: { referenceFileType: undefined, referenceFileUrl: 'https://cdn.example.test/face.png' } });
		expect(fresh.error).toBeUndefined();
		expect(createBodies()[0]).toMatchObject({ reference_file_type: 'image' });
		// Version 1 saved no type while Video was the default: a link without extension stays a video.
		const saved = await runVendor(sb, 'vozo', { operation: 'create', typeVersion: 1, inputItems: [{ json: { audio: audioFor(1) } }], parameters: { referenceFileType: undefined, referenceFileUrl: 'https://cdn.example.test/signed/abc123' } });
		expect(saved.error).toBeUndefined();
		expect(createBodies()[1]).toMatchObject({ reference_file_type: 'video', reference_file_url: 'https://cdn.example.test/signed/abc123' });
	});

	it('sends reference_file_type "image" for .png/.jpg/.webp and "video" for .mp4/.mov, row by row', async () => {
		const urls = ['https://cdn.example.test/a.png', 'https://cdn.example.test/b.JPG?x=1', 'https://cdn.example.test/c.webp', 'https://cdn.example.test/d.mp4', 'https://cdn.example.test/e.mov'];
		const result = await createFrom(urls.map((url) => ({ url })));
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toHaveLength(5);
		const sent = Object.fromEntries(createBodies().map((body) => [body.reference_file_url, body.reference_file_type]));
		expect(sent).toEqual({ [urls[0]]: 'image', [urls[1]]: 'image', [urls[2]]: 'image', [urls[3]]: 'video', [urls[4]]: 'video' });
	});

	it.each([
		['an unknown extension', 'https://cdn.example.test/face.gif', /ends in "\.gif", which is neither a video \(\.mp4 .*\) nor an image \(\.jpg .*\): choose Video or Image/],
		['no extension', 'https://cdn.example.test/signed/abc123', /has no file extension .* choose Video or Image/],
	])('with %s is an error naming the field and the item, and nothing is sent', async (_name, url, problem) => {
		const result = await createFrom([{ url: 'https://cdn.example.test/ok.mp4' }, { url }]);
		expect(result.error?.message).toMatch(/^Item 1: "Reference File Type" is "Auto", but the Reference File URL /);
		expect(result.error?.message).toMatch(problem);
		expect(sb.log.entries()).toHaveLength(0);
	});

	it('an explicit type is still checked against the extension', async () => {
		const result = await createFrom([{ url: 'https://cdn.example.test/face.png', type: 'video' }]);
		expect(result.error?.message).toContain('Item 0: "Reference File URL" must point to a video file');
		expect(sb.log.entries()).toHaveLength(0);
	});
});

describe('Face Source as an expression', () => {
	it('one sheet mixes reference-file and reusable-model rows ("Reusable Model" spelled as in the list works too)', async () => {
		const rows = [
			{ mode: 'referenceFile', face: 'https://cdn.example.test/face.jpg', model: '' },
			{ mode: 'Reusable Model', face: '', model: 'model-42' },
			{ mode: 'reusableModel', face: '', model: 'model-43' },
		];
		const result = await runVendor(sb, 'vozo', {
			operation: 'create',
			inputItems: rows.map((row, i) => ({ json: { ...row, audio: audioFor(i) } })),
			parameters: {
				generationMode: '={{ $json.mode }}',
				referenceFileType: 'auto',
				referenceFileUrl: '={{ $json.face }}',
				modelId: '={{ $json.model }}',
			},
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).map((row) => row.status)).toEqual(['queued', 'queued', 'queued']);
		const sent = sb.log.entries({ vendor: 'vozo', method: 'POST' }).map((e) => [e.path, (e.requestBody as IDataObject).model_id ?? (e.requestBody as IDataObject).reference_file_type]);
		expect(sent.sort()).toEqual(
			[
				['/vozo/v1/reusable_lipsync_model_video_generation', 'model-42'],
				['/vozo/v1/reusable_lipsync_model_video_generation', 'model-43'],
				['/vozo/v1/video_generation', 'image'],
			].sort(),
		);
	});

	it('a value that is neither names the field, the item and the choices, before anything is sent', async () => {
		const result = await runVendor(sb, 'vozo', {
			operation: 'create',
			inputItems: [{ json: { mode: 'referenceFile', audio: audioFor(0) } }, { json: { mode: 'photo', audio: audioFor(1) } }],
			// With an expression n8n shows (and requires) the fields of both sources.
			parameters: { generationMode: '={{ $json.mode }}', modelId: '={{ $json.model }}' },
		});
		expect(result.error?.message).toBe('Item 1: "Face Source" must be one of "referenceFile", "binary", "reusableModel", got "photo"');
		expect(sb.log.entries()).toHaveLength(0);
	});
});
