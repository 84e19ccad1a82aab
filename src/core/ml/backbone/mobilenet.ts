import fs from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { readManifest, type LayerSpec } from './manifest'
import { parseNpy } from './npy'

export { INPUT_SIZE, FEATURE_DIM } from './constants'

interface Layer {
  spec: LayerSpec
  filter: tf.Tensor4D
  bias: tf.Tensor1D
}

/** A residual block (or the stem / head, which are single-layer blocks without residual). */
interface Block {
  name: string
  layers: Layer[]
  residual: boolean
}

export interface Backbone {
  readonly model: string
  readonly dim: number
  /** [N, 224, 224, 3] in [-1, 1] → [N, 1280] pooled features (not normalised). */
  predict(input: tf.Tensor4D): tf.Tensor2D
  dispose(): void
}

function loadLayer(modelDir: string, spec: LayerSpec): Layer {
  const read = (file: string) => parseNpy(fs.readFileSync(path.join(modelDir, file)), file)
  const weight = read(spec.weight)
  const bias = read(spec.bias)
  if (weight.shape.join() !== spec.weight_shape.join()) {
    throw new Error(
      `${spec.weight} has shape [${weight.shape}], the manifest says [${spec.weight_shape}]`,
    )
  }
  const [a, kh, kw, c] = spec.weight_shape as [number, number, number, number]
  const filter = tf.tidy(() => {
    const raw = tf.tensor4d(weight.data, [a, kh, kw, c])
    // conv: OHWI → HWIO; depthwise: [1, kh, kw, C] → [kh, kw, C, 1].
    return spec.kind === 'conv'
      ? raw.transpose<tf.Tensor4D>([1, 2, 3, 0])
      : (raw.reshape([kh, kw, c, 1]) as tf.Tensor4D)
  })
  return { spec, filter, bias: tf.tensor1d(bias.data) }
}

function inChannels(spec: LayerSpec): number {
  return spec.weight_shape[3] as number
}

function outChannels(spec: LayerSpec): number {
  return spec.kind === 'conv' ? (spec.weight_shape[0] as number) : (spec.weight_shape[3] as number)
}

/** Groups `blockN.*` layers; a block adds its input when it keeps stride 1 and channel count. */
function groupBlocks(layers: Layer[]): Block[] {
  const blocks: Block[] = []
  for (const layer of layers) {
    const name = layer.spec.name.split('.')[0] as string
    const last = blocks.at(-1)
    if (last && last.name === name) last.layers.push(layer)
    else blocks.push({ name, layers: [layer], residual: false })
  }
  for (const block of blocks) {
    const first = block.layers[0] as Layer
    const final = block.layers.at(-1) as Layer
    block.residual =
      block.layers.length > 1 &&
      block.layers.every((l) => l.spec.stride === 1) &&
      inChannels(first.spec) === outChannels(final.spec)
  }
  return blocks
}

function runLayer(x: tf.Tensor4D, layer: Layer): tf.Tensor4D {
  const { spec, filter, bias } = layer
  const args = {
    x,
    filter,
    bias,
    strides: spec.stride,
    pad: 'same' as const,
    activation: spec.activation === 'relu6' ? ('relu6' as const) : ('linear' as const),
  }
  return spec.kind === 'conv' ? tf.fused.conv2d(args) : tf.fused.depthwiseConv2d(args)
}

/** Builds MobileNetV2 from a model folder (manifest.json + .npy weights). */
export function loadBackbone(modelDir: string): Backbone {
  const manifest = readManifest(modelDir)
  const layers: Layer[] = []
  try {
    for (const spec of manifest.layers) layers.push(loadLayer(modelDir, spec))
  } catch (error) {
    for (const l of layers) tf.dispose([l.filter, l.bias])
    throw error
  }
  const blocks = groupBlocks(layers)
  const dim = outChannels((layers.at(-1) as Layer).spec)
  return {
    model: manifest.model,
    dim,
    predict(input) {
      return tf.tidy(() => {
        let x = input
        for (const block of blocks) {
          const blockInput = x
          for (const layer of block.layers) x = runLayer(x, layer)
          if (block.residual) x = tf.add(x, blockInput)
        }
        return tf.mean(x, [1, 2]) as tf.Tensor2D
      })
    },
    dispose() {
      for (const l of layers) tf.dispose([l.filter, l.bias])
    },
  }
}

/** Rows scaled to unit length (all-zero rows stay zero). */
export function l2Normalise(features: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const norm = tf.maximum(tf.norm(features, 'euclidean', 1, true), 1e-12)
    return tf.div(features, norm) as tf.Tensor2D
  })
}
