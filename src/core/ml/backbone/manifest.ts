import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

const layerSchema = z.object({
  name: z.string(),
  kind: z.enum(['conv', 'depthwise']),
  stride: z.number().int().positive(),
  activation: z.enum(['relu6', 'linear']),
  weight: z.string(),
  weight_shape: z.array(z.number().int().positive()).length(4),
  bias: z.string(),
  bias_shape: z.array(z.number().int().positive()).length(1),
})

const manifestSchema = z.object({
  model: z.string(),
  layers: z.array(layerSchema).min(1),
})

export type LayerSpec = z.infer<typeof layerSchema>
export type ModelManifest = z.infer<typeof manifestSchema>

export const MANIFEST_FILE = 'manifest.json'

/** Reads and validates `manifest.json` in a model folder. */
export function readManifest(modelDir: string): ModelManifest {
  const file = path.join(modelDir, MANIFEST_FILE)
  if (!fs.existsSync(file)) throw new Error(`The model folder ${modelDir} has no ${MANIFEST_FILE}`)
  const parsed = manifestSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')))
  if (!parsed.success) {
    throw new Error(`${file} is not a valid model manifest: ${parsed.error.issues[0]?.message}`)
  }
  return parsed.data
}
