import type { IDataObject } from 'n8n-workflow';

import { objectAt, text } from '../shared/adapterKit';
import { urlPathExtension } from '../shared/validation';

/**
 * A finished Modellix task lists its output files as resources. Documented shape:
 * `data.result.resources: [{type: "video", url, …}]`; Modellix's own CLI also reads the list at
 * `data.resources` and resources given as bare URL strings (docs/vendors.md, Modellix), so all
 * three are read here.
 */
export interface ModellixResource {
	type?: string;
	url: string;
	record: IDataObject;
}

const VIDEO_EXTENSIONS = ['mp4', 'mov', 'webm', 'm4v', 'mkv', 'avi'];
const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif'];
const NOT_VIDEO_EXTENSIONS = [...IMAGE_EXTENSIONS, 'mp3', 'wav', 'm4a', 'aac'];
const NOT_VIDEO_TYPES = ['image', 'cover', 'thumbnail', 'audio'];

export function readModellixResources(data: IDataObject): ModellixResource[] {
	const list = objectAt(data.result)?.resources ?? data.resources;
	if (!Array.isArray(list)) return [];
	const resources: ModellixResource[] = [];
	for (const entry of list as unknown[]) {
		const record = objectAt(entry) ?? {};
		const url = typeof entry === 'string' ? text(entry) : text(record.url);
		if (url) resources.push({ type: text(record.type)?.toLowerCase(), url, record });
	}
	return resources;
}

const extensionIn = (url: string, extensions: string[]): boolean =>
	extensions.includes(urlPathExtension(url) ?? '');

/**
 * The result video: a resource typed `video`, else one whose URL ends in a video extension, else
 * one that is neither typed nor named as an image or audio (presigned links often have no
 * extension). Never a cover or other image.
 */
export function pickModellixVideo(resources: ModellixResource[]): ModellixResource | undefined {
	const maybeVideo = resources.filter((r) => !NOT_VIDEO_TYPES.includes(r.type ?? ''));
	return (
		maybeVideo.find((r) => r.type === 'video') ??
		maybeVideo.find((r) => extensionIn(r.url, VIDEO_EXTENSIONS)) ??
		maybeVideo.find((r) => !extensionIn(r.url, NOT_VIDEO_EXTENSIONS))
	);
}

/** A cover image, when the task lists one beside the video. */
export function pickModellixCover(resources: ModellixResource[]): ModellixResource | undefined {
	return resources.find((r) => r.type === 'image' || r.type === 'cover' || (r.type === undefined && extensionIn(r.url, IMAGE_EXTENSIONS)));
}
