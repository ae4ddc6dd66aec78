/**
 * One vocabulary across the vendor nodes, the trigger and the credentials, following n8n's
 * UX guidelines: every text a user can see is walked, and the rules below must hold for all of
 * it. Parameter `name`s are pinned: saved workflows store them.
 */
import type { ICredentialType, INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { LipSync } from '../../nodes/LipSync/LipSync.node';
import { LipSyncTrigger } from '../../nodes/LipSyncTrigger/LipSyncTrigger.node';
import { VENDOR_MODULES } from '../../nodes/registry';
import { registeredNodes } from '../registry/registeredNodes';

/** Each registered vendor's node description, keyed by node type name (`joggAi`). */
const VENDOR_NODES: Record<string, INodeTypeDescription> = Object.fromEntries(registeredNodes().map(({ name, description }) => [name, description]));
const NODES: Record<string, INodeTypeDescription> = { ...VENDOR_NODES, lipSync: new LipSync().description, lipSyncTrigger: new LipSyncTrigger().description };
const CREDENTIALS: ICredentialType[] = VENDOR_MODULES.map(({ adapter }) => adapter.credentialType);
/** Node type names whose adapter can be called back: their nodes offer the Callback URL option. */

/** One user-visible text: where it is, what kind, the text. */
interface Text {
	where: string;
	kind: 'label' | 'description' | 'placeholder' | 'option' | 'action' | 'notice' | 'hint';
	text: string;
	/** The property's type, for placeholders. */
	type?: string;
}

type Entry = INodeProperties | INodePropertyOptions | INodePropertyCollection;

function textsOfProperties(properties: Entry[], where: string, out: Text[] = []): Text[] {
	for (const entry of properties) {
		const at = `${where} › ${'name' in entry ? String(entry.name) : ''}`;
		if ('displayName' in entry && entry.displayName) {
			const isNotice = 'type' in entry && entry.type === 'notice';
			out.push({ where: at, kind: isNotice ? 'notice' : 'label', text: entry.displayName });
		}
		if ('type' in entry && entry.type !== undefined) {
			const property = entry as INodeProperties;
			if (property.placeholder) out.push({ where: at, kind: 'placeholder', text: property.placeholder, type: property.type });
			if (property.hint) out.push({ where: at, kind: 'hint', text: property.hint });
			for (const mode of property.modes ?? []) {
				out.push({ where: `${at} (mode ${mode.name})`, kind: 'label', text: mode.displayName });
				if (mode.placeholder) out.push({ where: `${at} (mode ${mode.name})`, kind: 'placeholder', text: mode.placeholder, type: mode.type });
			}
		} else if (!('values' in entry)) {
			out.push({ where: at, kind: 'option', text: String(entry.name) });
			const option = entry as INodePropertyOptions;
			if (option.action) out.push({ where: at, kind: 'action', text: option.action });
		}
		if ('description' in entry && entry.description) out.push({ where: at, kind: 'description', text: entry.description });
		if ('options' in entry && Array.isArray(entry.options)) textsOfProperties(entry.options as Entry[], at, out);
		if ('values' in entry && Array.isArray(entry.values)) textsOfProperties(entry.values, at, out);
	}
	return out;
}

function allTexts(): Text[] {
	const texts: Text[] = [];
	for (const [name, description] of Object.entries(NODES)) {
		texts.push({ where: name, kind: 'label', text: description.displayName });
		texts.push({ where: `${name} description`, kind: 'description', text: description.description });
		texts.push({ where: `${name} subtitle`, kind: 'label', text: String(description.subtitle ?? '') });
		textsOfProperties(description.properties, name, texts);
	}
	for (const credential of CREDENTIALS) {
		texts.push({ where: credential.name, kind: 'label', text: credential.displayName });
		textsOfProperties(credential.properties, credential.name, texts);
	}
	return texts;
}

const TEXTS = allTexts();
const textsOf = (kind: Text['kind']) => TEXTS.filter((t) => t.kind === kind);

/** Words n8n's title case leaves in lower case inside a label. */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'per', 'the', 'to', 'vs', 'with']);
/** Vendor names are spelled as their brands spell them (`sync.so` in lower case), in labels and at a sentence's start. */
const BRANDS = VENDOR_MODULES.map(({ adapter }) => adapter.displayName);
const withoutBrands = (text: string) => BRANDS.reduce((rest, brand) => rest.split(brand).join('Brand'), text);

it('labels are in Title Case (every word but the small ones starts with a capital)', () => {
	const miscased = textsOf('label')
		.concat(textsOf('option'))
		.filter(({ where }) => !where.endsWith('subtitle'))
		.filter(({ text }) =>
			withoutBrands(text)
				.replace(/'s\b/g, '').replace(/[()"',]/g, ' ')
				.split(/\s+/)
				.filter(Boolean)
				.some((word) => /^[a-z]/.test(word) && !SMALL_WORDS.has(word)),
		)
		.map(({ where, text }) => `${where}: "${text}"`);
	expect(miscased).toEqual([]);
});

it('descriptions, hints and notices are sentences: they start with a capital letter', () => {
	const lower = [...textsOf('description'), ...textsOf('hint'), ...textsOf('notice')]
		.filter(({ text }) => !/^["'(]?[A-Z0-9$]/.test(withoutBrands(text)))
		.map(({ where, text }) => `${where}: "${text}"`);
	expect(lower).toEqual([]);
});

it('every placeholder of a field the user types in starts with "e.g."', () => {
	// Collections' "Add Option" is a button label, and a list's "Select a voice…" a prompt.
	const typed = new Set(['string', 'number', 'json', 'id', 'url']);
	const bad = textsOf('placeholder')
		.filter(({ type }) => typed.has(String(type)))
		.filter(({ text }) => !text.startsWith('e.g. '))
		.map(({ where, text }) => `${where}: "${text}"`);
	expect(bad).toEqual([]);
});

it('actions have no articles ("Create lip-sync video", not "Create a lip-sync video job")', () => {
	const actions = textsOf('action');
	expect(actions.length).toBeGreaterThanOrEqual(16);
	expect(actions.filter(({ text }) => /\b(a|an|the)\b/i.test(text)).map(({ where, text }) => `${where}: "${text}"`)).toEqual([]);
	expect(new Set(actions.map((a) => a.text))).toEqual(
		new Set(['Create lip-sync video', 'Create lip-sync video and wait', 'Get lip-sync job status', 'Wait for lip-sync jobs']),
	);
});

it('no user-visible text mentions the sandbox', () => {
	const found = TEXTS.filter(({ text }) => /sandbox/i.test(text)).map(({ where, text }) => `${where}: "${text}"`);
	expect(found).toEqual([]);
});

it('binary fields use n8n\'s names: "… Input Binary Field" for inputs, "Put Output File in Field" for the video, never "Binary Property"', () => {
	const labels = textsOf('label').concat(textsOf('option'));
	expect(labels.filter(({ text }) => /binary property/i.test(text)).map(({ where, text }) => `${where}: "${text}"`)).toEqual([]);
	for (const description of Object.values(VENDOR_NODES)) {
		const options = description.properties.find((p) => p.name === 'options')!.options as INodeProperties[];
		expect(options.find((o) => o.name === 'binaryPropertyName')?.displayName).toBe('Put Output File in Field');
	}
	const joggAi = VENDOR_NODES.joggAi.properties;
	expect(joggAi.find((p) => p.name === 'videoBinaryProperty')?.displayName).toBe('Video Input Binary Field');
	expect(joggAi.find((p) => p.name === 'audioBinaryProperty')?.displayName).toBe('Audio Input Binary Field');
});

it('the subtitle names each operation exactly as the Operation list does', () => {
	for (const [name, description] of Object.entries(VENDOR_NODES)) {
		const operation = description.properties.find((p) => p.name === 'operation')!;
		const listed = Object.fromEntries((operation.options as INodePropertyOptions[]).map((o) => [o.value, o.name]));
		expect(listed).toEqual({ create: 'Create', createAndWait: 'Create and Wait', get: 'Get', wait: 'Wait' });
		const subtitleMap = JSON.parse(/^=\{\{ (\{.*\})\[\$parameter\["operation"\]\] \}\}$/.exec(String(description.subtitle))![1]);
		expect({ name, map: subtitleMap }).toEqual({ name, map: listed });
	}
});

it('inputs are chosen one way on every node: "Face Source" and "Speech Source", and URL fields are "<Kind> URL"', () => {
	const label = (node: string, name: string) => NODES[node].properties.find((p) => p.name === name)?.displayName;
	expect([label('vozo', 'generationMode'), label('personate', 'actorSource'), label('joggAi', 'videoSource')]).toEqual(Array(3).fill('Face Source'));
	expect([label('personate', 'scriptSource'), label('joggAi', 'audioSource')]).toEqual(Array(2).fill('Speech Source'));
	for (const node of ['personate', 'modellix', 'joggAi']) expect(label(node, 'videoUrl')).toBe('Video URL');
	for (const node of Object.keys(VENDOR_NODES)) if (label(node, 'audioUrl')) expect(label(node, 'audioUrl')).toBe('Audio URL');
	// Binary inputs carry JoggAI's names on every node that takes them.
	for (const node of Object.keys(VENDOR_NODES)) {
		expect(label(node, 'audioBinaryProperty')).toBe('Audio Input Binary Field');
		if (label(node, 'videoBinaryProperty')) expect(label(node, 'videoBinaryProperty')).toBe('Video Input Binary Field');
	}
	expect([label('modellix', 'videoSource'), label('modellix', 'audioSource'), label('vozo', 'audioSource')]).toEqual(['Face Source', 'Speech Source', 'Speech Source']);
	const retired = /^(Generate From|Actor From|Script From|Video Source|Audio Source|Actor Video URL)$/;
	expect(textsOf('label').filter(({ text }) => retired.test(text))).toEqual([]);
});

/** Saved workflows store parameters by name: these may never change (only their labels). */
const PARAMETER_NAMES: Record<string, string[]> = {
	vozo: ['operation', 'generationMode', 'referenceFileType', 'referenceFileUrl', 'referenceFileBinaryProperty', 'model', 'modelId', 'audioSource', 'audioUrl', 'audioBinaryProperty', 'jobId', 'simplify', 'waitBy', 'options'],
	personate: ['operation', 'model', 'actorSource', 'videoUrl', 'videoBinaryProperty', 'avatarType', 'avatarId', 'scriptSource', 'audioUrl', 'audioBinaryProperty', 'scriptText', 'voiceType', 'voiceId', 'jobId', 'simplify', 'options'],
	modellix: ['operation', 'modelSlug', 'otherModelSlug', 'requestBody', 'videoSource', 'videoUrl', 'videoBinaryProperty', 'audioSource', 'audioUrl', 'audioBinaryProperty', 'referenceFaceSource', 'referenceFaceImageUrl', 'referenceFaceImageBinaryProperty', 'jobId', 'simplify', 'options'],
	joggAi: ['operation', 'videoSource', 'videoUrl', 'videoBinaryProperty', 'audioSource', 'audioUrl', 'audioBinaryProperty', 'playbackType', 'jobId', 'simplify', 'options'],
	syncSo: ['operation', 'model', 'videoSource', 'videoUrl', 'videoBinaryProperty', 'audioSource', 'audioUrl', 'audioBinaryProperty', 'voiceId', 'script', 'syncMode', 'generationOptions', 'jobId', 'simplify', 'waitBy', 'options'],
};
/** A node's own options beside the shared ones (its callback URL), pinned like the parameters. */
const OWN_OPTION_NAMES: Record<string, string[]> = { vozo: ['callbackUrl'], syncSo: ['webhookUrl'] };
const OPTION_NAMES = [
	'binaryPropertyName',
	'downloadTimeLimitMinutes',
	'downloadVideo',
	'includeInputFields',
	'inputFieldsToInclude',
	'maxDownloadSizeMb',
	'maxJobsPerExecution',
	'onJobFailure',
	'onTimeout',
	'pollIntervalSeconds',
	'waitLimitMinutes',
];

it.each(Object.keys(VENDOR_NODES))('%s keeps its parameter and option names (saved workflows)', (node) => {
	const properties = VENDOR_NODES[node].properties;
	expect(PARAMETER_NAMES).toHaveProperty([node]);
	expect([...new Set(properties.map((p) => p.name))].sort()).toEqual([...PARAMETER_NAMES[node]].sort());
	const options = (properties.find((p) => p.name === 'options')!.options as INodeProperties[]).map((o) => o.name);
	expect(options.sort()).toEqual([...OPTION_NAMES, ...(OWN_OPTION_NAMES[node] ?? [])].sort());
});
