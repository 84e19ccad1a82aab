/** Near-duplicate photos (bursts, re-saves, small crops) and which one to keep. */
export { DEFAULT_DUPLICATE_THRESHOLD, findDuplicateSets, compareKeepers } from './find'
export { linkPairs, type SimilarPair, type PhotoSet } from './group'
export { laplacianVariance, thumbnailSharpness } from './sharpness'
