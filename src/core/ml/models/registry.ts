/**
 * Models Kindred knows, with the sha256 of every file (computed from the published files:
 * a file that does not match is damaged or not the one we tested, and is never installed).
 */
import mobilenetV2Hashes from './mobilenet_v2_1.0_224.sha256.json'

export interface ModelFile {
  name: string
  sha256: string
}

export interface ModelEntry {
  id: string
  title: string
  licence: string
  /** Output feature length. */
  dim: number
  /** Total download size in bytes (for progress before the first response). */
  bytes: number
  files: ModelFile[]
}

/** A model's files from its `<id>.sha256.json` (file name → sha256), kept out of the code. */
function files(hashes: Record<string, string>): ModelFile[] {
  return Object.entries(hashes).map(([name, sha256]) => ({ name, sha256 }))
}

export const DEFAULT_MODEL = 'mobilenet_v2_1.0_224'

export const MODELS: readonly ModelEntry[] = [
  {
    id: 'mobilenet_v2_1.0_224',
    title: 'MobileNetV2 1.0/224, ImageNet weights (TensorFlow Lite, batch norm folded)',
    licence: 'Apache-2.0',
    dim: 1280,
    bytes: 17706260,
    // The .npy files serve TF.js; the same network as one .onnx file serves ONNX Runtime.
    files: files(mobilenetV2Hashes),
  },
]

export function findModel(id: string): ModelEntry | undefined {
  return MODELS.find((m) => m.id === id)
}

export function requireModel(id: string): ModelEntry {
  const entry = findModel(id)
  if (!entry)
    throw new Error(`Unknown model "${id}"; known models: ${MODELS.map((m) => m.id).join(', ')}`)
  return entry
}
