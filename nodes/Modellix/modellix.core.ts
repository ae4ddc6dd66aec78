import { videoFaceCoreInput } from '../shared/adapterKit';

/** Modellix's default model lip-syncs a video of the face: a photo is not taken. */
export const modellixCoreInput = videoFaceCoreInput('Modellix', []);
