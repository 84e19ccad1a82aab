/** A little-endian float32 NumPy array: the only kind the model files use. */
export interface NpyArray {
  shape: number[]
  data: Float32Array
}

const MAGIC = '\x93NUMPY'

/**
 * Parses a `.npy` file (format versions 1–3, C order, dtype '<f4'). Anything else is rejected
 * with a message naming what was found, so a wrong or damaged weight file is obvious.
 */
export function parseNpy(bytes: Uint8Array, name = 'array'): NpyArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const magic = String.fromCharCode(...bytes.subarray(0, 6))
  if (bytes.length < 10 || magic !== MAGIC) throw new Error(`${name} is not a NumPy .npy file`)
  const major = bytes[6]
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  const headerStart = major === 1 ? 10 : 12
  const header = new TextDecoder('latin1').decode(
    bytes.subarray(headerStart, headerStart + headerLength),
  )
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1]
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1]
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]
  if (descr !== '<f4') throw new Error(`${name}: expected little-endian float32, found ${descr}`)
  if (fortran !== 'False') throw new Error(`${name}: Fortran-ordered arrays are not supported`)
  if (shapeText === undefined) throw new Error(`${name}: the .npy header has no shape`)
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number)
  const count = shape.reduce((a, b) => a * b, 1)
  const dataStart = headerStart + headerLength
  if (bytes.length - dataStart !== count * 4) {
    throw new Error(
      `${name}: shape [${shape.join(', ')}] needs ${count * 4} bytes of data, the file has ${bytes.length - dataStart}`,
    )
  }
  // Copy: the payload offset is not guaranteed to be 4-byte aligned inside the file buffer.
  const data = new Float32Array(count)
  new Uint8Array(data.buffer).set(bytes.subarray(dataStart))
  return { shape, data }
}
