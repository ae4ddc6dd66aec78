import { videoFaceCoreInput } from '../shared/adapterKit';

/** JoggAI lip-syncs a video of the face: a photo is not taken. */
export const joggAiCoreInput = videoFaceCoreInput('JoggAI', ['playbackType']);
