// Gives the backbone's ONNX graph a uint8 pixel input: [N, 224, 224, 3] RGB bytes, cast,
// scaled to [-1, 1] and transposed to NCHW by the runtime itself. A batch then crosses to the
// GPU as bytes (a quarter of float32) and no JavaScript loop packs it. The edit is done on the
// protobuf wire format, which allows it without an ONNX library: repeated fields may be
// appended, and ONNX Runtime sorts the nodes itself.

/** The uint8 NHWC input's name in the edited graph. */
export const PIXEL_INPUT = 'pixels'

// Field numbers from onnx.proto.
const MODEL_GRAPH = 7
const GRAPH = { node: 1, initializer: 5, input: 11 }
const TENSOR_FLOAT = 1
const TENSOR_UINT8 = 2
const ATTRIBUTE_INT = 2
const ATTRIBUTE_INTS = 7

interface Field {
  number: number
  wire: number
  /** The whole field, key included, as it appears in the message. */
  bytes: Uint8Array
  /** A length-delimited field's payload. */
  payload?: Uint8Array
}

function readVarint(buf: Uint8Array, at: number): [value: number, next: number] {
  let value = 0
  let scale = 1
  for (let i = at; i < buf.length; i++) {
    const byte = buf[i] as number
    value += (byte & 0x7f) * scale
    if (byte < 0x80) return [value, i + 1]
    scale *= 128
  }
  throw new Error('the model file is truncated (a varint runs past its end)')
}

/** The top-level fields of one protobuf message, in order. */
function fields(message: Uint8Array): Field[] {
  const out: Field[] = []
  let at = 0
  while (at < message.length) {
    const start = at
    const [key, afterKey] = readVarint(message, at)
    const wire = key % 8
    at = afterKey
    let payload: Uint8Array | undefined
    if (wire === 0) at = readVarint(message, at)[1]
    else if (wire === 1) at += 8
    else if (wire === 5) at += 4
    else if (wire === 2) {
      const [length, afterLength] = readVarint(message, at)
      payload = message.subarray(afterLength, afterLength + length)
      at = afterLength + length
    } else throw new Error(`the model file has an unknown protobuf wire type ${wire}`)
    if (at > message.length) throw new Error('the model file is truncated')
    out.push({ number: Math.floor(key / 8), wire, bytes: message.subarray(start, at), payload })
  }
  return out
}

function varint(value: number): number[] {
  const bytes: number[] = []
  let v = value
  while (v >= 0x80) {
    bytes.push((v % 128) | 0x80)
    v = Math.floor(v / 128)
  }
  bytes.push(v)
  return bytes
}

function concat(parts: readonly (Uint8Array | number[])[]): Uint8Array {
  const total = parts.reduce((sum, p) => sum + p.length, 0)
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const text = (s: string) => new TextEncoder().encode(s)
const field = (n: number, payload: Uint8Array) =>
  concat([varint(n * 8 + 2), varint(payload.length), payload])
const int = (n: number, value: number) => Uint8Array.from([...varint(n * 8), ...varint(value)])

function floatScalar(name: string, value: number): Uint8Array {
  const data = new Uint8Array(new Float32Array([value]).buffer)
  // TensorProto: data_type (2), name (8), raw_data (9); no dims: a scalar.
  return concat([int(2, TENSOR_FLOAT), field(8, text(name)), field(9, data)])
}

function node(op: string, inputs: string[], output: string, attributes: Uint8Array[] = []) {
  // NodeProto: input (1), output (2), name (3), op_type (4), attribute (5).
  return concat([
    ...inputs.map((i) => field(1, text(i))),
    field(2, text(output)),
    field(3, text(`${PIXEL_INPUT}_${op.toLowerCase()}`)),
    field(4, text(op)),
    ...attributes.map((a) => field(5, a)),
  ])
}

function pixelInputInfo(size: number): Uint8Array {
  // TensorShapeProto.Dimension: dim_value (1) or dim_param (2).
  const dims = [field(2, text('batch')), int(1, size), int(1, size), int(1, 3)]
  const shape = concat(dims.map((d) => field(1, d)))
  const tensorType = concat([int(1, TENSOR_UINT8), field(2, shape)])
  // ValueInfoProto: name (1), type (2) → TypeProto.tensor_type (1).
  return concat([field(1, text(PIXEL_INPUT)), field(2, field(1, tensorType))])
}

function nameOf(valueInfo: Uint8Array): string | undefined {
  const name = fields(valueInfo).find((f) => f.number === 1 && f.payload)
  return name?.payload && new TextDecoder().decode(name.payload)
}

/** An initializer's name (TensorProto field 8). */
function tensorName(initializer: Field): string | undefined {
  const name = fields(initializer.payload as Uint8Array).find((f) => f.number === 8 && f.payload)
  return name?.payload && new TextDecoder().decode(name.payload)
}

/**
 * The model with its float NCHW input replaced by uint8 NHWC `pixels`, scaled x / 127.5 − 1
 * as the JavaScript packing does. The input is the graph's one input that no initializer feeds.
 */
export function withPixelInput(model: Uint8Array, size: number): Uint8Array {
  const top = fields(model)
  const graphs = top.filter((f) => f.number === MODEL_GRAPH && f.payload)
  if (graphs.length !== 1) throw new Error('the model file has no single graph')
  const graph = fields((graphs[0] as Field).payload as Uint8Array)
  const initializers = new Set(
    graph.filter((f) => f.number === GRAPH.initializer && f.payload).map((f) => tensorName(f)),
  )
  const inputs = graph
    .filter((f) => f.number === GRAPH.input && f.payload)
    .map((f) => nameOf(f.payload as Uint8Array))
    .filter((name) => name !== undefined && !initializers.has(name))
  if (inputs.length !== 1)
    throw new Error(`the model has ${inputs.length} image inputs, expected one`)
  const inputName = inputs[0] as string
  const cast = concat([field(1, text('to')), int(20, ATTRIBUTE_INT), int(3, TENSOR_FLOAT)])
  const perm = concat([
    field(1, text('perm')),
    int(20, ATTRIBUTE_INTS),
    ...[0, 3, 1, 2].map((i) => int(8, i)),
  ])
  const added = [
    field(GRAPH.input, pixelInputInfo(size)),
    field(GRAPH.initializer, floatScalar(`${PIXEL_INPUT}_scale`, 127.5)),
    field(GRAPH.initializer, floatScalar(`${PIXEL_INPUT}_one`, 1)),
    field(GRAPH.node, node('Cast', [PIXEL_INPUT], `${PIXEL_INPUT}_float`, [cast])),
    field(
      GRAPH.node,
      node('Div', [`${PIXEL_INPUT}_float`, `${PIXEL_INPUT}_scale`], `${PIXEL_INPUT}_half`),
    ),
    field(
      GRAPH.node,
      node('Sub', [`${PIXEL_INPUT}_half`, `${PIXEL_INPUT}_one`], `${PIXEL_INPUT}_nhwc`),
    ),
    field(GRAPH.node, node('Transpose', [`${PIXEL_INPUT}_nhwc`], inputName, [perm])),
  ]
  const kept = graph.filter(
    (f) => !(f.number === GRAPH.input && nameOf(f.payload as Uint8Array) === inputName),
  )
  const newGraph = concat([...kept.map((f) => f.bytes), ...added])
  return concat(top.map((f) => (f.number === MODEL_GRAPH ? field(MODEL_GRAPH, newGraph) : f.bytes)))
}
