/**
 * Checkpoints are JSON with typed arrays kept exact: a Float32Array/Int32Array becomes
 * `{ $typed: 'f32' | 'i32', base64 }` (JSON.stringify would turn it into a huge `{"0":..}` map).
 */
type Tag = 'f32' | 'i32' | 'f64'
interface TypedJson {
  $typed: Tag
  base64: string
}

function tagOf(value: unknown): Tag | null {
  if (value instanceof Float32Array) return 'f32'
  if (value instanceof Int32Array) return 'i32'
  if (value instanceof Float64Array) return 'f64'
  return null
}

export function encodeCheckpoint(value: unknown): Buffer {
  const json = JSON.stringify(
    value,
    function (this: Record<string, unknown>, key: string, jsonValue: unknown) {
      // `this[key]` is the raw value, before toJSON turned a typed array into a plain object.
      const raw = this[key]
      const tag = tagOf(raw)
      if (tag === null) return jsonValue
      const view = raw as Float32Array
      return {
        $typed: tag,
        base64: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64'),
      }
    },
  )
  return Buffer.from(json, 'utf8')
}

export function decodeCheckpoint<T = unknown>(blob: Buffer | Uint8Array): T {
  return JSON.parse(Buffer.from(blob).toString('utf8'), (_key, value: unknown) => {
    if (!value || typeof value !== 'object' || !('$typed' in value)) return value
    const { $typed, base64 } = value as TypedJson
    const bytes = Buffer.from(base64, 'base64')
    const copy = new Uint8Array(bytes).buffer // aligned copy
    if ($typed === 'f32') return new Float32Array(copy)
    if ($typed === 'i32') return new Int32Array(copy)
    return new Float64Array(copy)
  }) as T
}

/** Float32 vectors (centroids) as BLOBs. */
export function vectorToBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)
}

export function blobToVector(blob: Buffer): Float32Array {
  return new Float32Array(new Uint8Array(blob).buffer)
}
