export { loadBackbone, l2Normalise, INPUT_SIZE, FEATURE_DIM, type Backbone } from './mobilenet'
export { parseNpy, type NpyArray } from './npy'
export { readManifest, type ModelManifest, type LayerSpec } from './manifest'
export {
  loadOnnxBackbone,
  loadOrt,
  onnxFile,
  toNchw,
  unavailableReason,
  nvidiaGpuName,
  cpuThreads,
  CUDA_INSTALL_COMMAND,
  PROVIDER_ORDER,
  type OnnxBackbone,
  type OnnxProvider,
  type OnnxOptions,
} from './onnx'
