export { loadBackbone, l2Normalise, INPUT_SIZE, FEATURE_DIM, type Backbone } from './mobilenet'
export { parseNpy, type NpyArray } from './npy'
export { readManifest, type ModelManifest, type LayerSpec } from './manifest'
