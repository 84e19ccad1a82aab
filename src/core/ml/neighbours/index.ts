import * as tf from '@tensorflow/tfjs'

export interface Neighbours {
  /** Row-major n*k neighbour indices, most similar first, self excluded. */
  index: Int32Array
  /** Row-major n*k cosine similarities (dot products of the L2-normalised rows). */
  sim: Float32Array
}

export interface TopKOptions {
  /** Rows per matrix product; bounds memory at about blockRows * n floats. */
  blockRows?: number
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
}

/**
 * Exact cosine top-k of every row among all rows (self excluded), by blocked matrix products on
 * the active TF.js backend. Rows must already be L2-normalised.
 */
export async function topK(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  opts: TopKOptions = {},
): Promise<Neighbours> {
  validate(data, n, dim, k)
  const blockRows = opts.blockRows ?? defaultBlockRows(n)
  const index = new Int32Array(n * k)
  const sim = new Float32Array(n * k)
  const all = tf.tensor2d(data, [n, dim])
  // Transposed once up front: the WASM backend multiplies by a transposed operand ~10x slower.
  const allT = tf.tidy(() => all.transpose())
  try {
    // One extra candidate so self can be dropped even when it is not ranked first (duplicates).
    const take = Math.min(k + 1, n)
    for (let start = 0; start < n; start += blockRows) {
      opts.signal?.throwIfAborted()
      const rows = Math.min(blockRows, n - start)
      const { values, indices } = tf.tidy(() => {
        const block = all.slice([start, 0], [rows, dim])
        return tf.topk(tf.matMul(block, allT), take)
      })
      const [v, idx] = await Promise.all([values.data(), indices.data()])
      values.dispose()
      indices.dispose()
      copyWithoutSelf(v as Float32Array, idx as Int32Array, start, rows, take, k, index, sim)
      opts.onProgress?.(start + rows, n)
    }
  } finally {
    all.dispose()
    allT.dispose()
  }
  return { index, sim }
}

/**
 * Exact cosine top-k of each query row among the reference rows (a photo assigned later against
 * the photos a model was trained on). Rows must be L2-normalised; k is capped at the reference
 * count.
 */
export async function topKAmong(
  query: Float32Array,
  reference: Float32Array,
  dim: number,
  k: number,
  opts: Pick<TopKOptions, 'signal'> = {},
): Promise<Neighbours & { k: number }> {
  const nq = query.length / dim
  const nr = reference.length / dim
  if (!Number.isInteger(nq) || !Number.isInteger(nr) || dim < 1)
    throw new Error(`topKAmong: rows must have ${dim} values each`)
  const take = Math.max(0, Math.min(k, nr))
  const index = new Int32Array(nq * take)
  const sim = new Float32Array(nq * take)
  if (nq === 0 || take === 0) return { k: take, index, sim }
  const refT = tf.tidy(() => tf.tensor2d(reference, [nr, dim]).transpose())
  try {
    const blockRows = defaultBlockRows(nr)
    for (let start = 0; start < nq; start += blockRows) {
      opts.signal?.throwIfAborted()
      const rows = Math.min(blockRows, nq - start)
      const { values, indices } = tf.tidy(() => {
        const block = tf.tensor2d(query.subarray(start * dim, (start + rows) * dim), [rows, dim])
        return tf.topk(tf.matMul(block, refT), take)
      })
      const [v, idx] = await Promise.all([values.data(), indices.data()])
      values.dispose()
      indices.dispose()
      sim.set(v as Float32Array, start * take)
      index.set(idx as Int32Array, start * take)
    }
  } finally {
    refT.dispose()
  }
  return { k: take, index, sim }
}

function copyWithoutSelf(
  v: Float32Array,
  idx: Int32Array,
  start: number,
  rows: number,
  take: number,
  k: number,
  index: Int32Array,
  sim: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const self = start + r
    let out = self * k
    const end = out + k
    for (let j = 0; j < take && out < end; j++) {
      const cand = idx[r * take + j]!
      if (cand === self) continue
      index[out] = cand
      sim[out] = v[r * take + j]!
      out++
    }
  }
}

function defaultBlockRows(n: number): number {
  // About 16M similarities (64 MB) per block.
  return Math.max(1, Math.min(n, Math.floor((1 << 24) / Math.max(1, n))))
}

function validate(data: Float32Array, n: number, dim: number, k: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 1 || dim < 1) {
    throw new Error(`topK needs positive integer n and dim, got n=${n}, dim=${dim}`)
  }
  if (data.length !== n * dim) {
    throw new Error(`topK: data has ${data.length} values, expected n*dim = ${n * dim}`)
  }
  if (!Number.isInteger(k) || k < 1 || k > n - 1) {
    throw new Error(`topK: k must be between 1 and n-1 = ${n - 1}, got ${k}`)
  }
}

/**
 * Fraction of the exact neighbours an approximate search found (recall@k), averaged over rows.
 */
export function recallAtK(exact: Int32Array, approx: Int32Array, n: number, k: number): number {
  let hits = 0
  for (let i = 0; i < n; i++) {
    const truth = new Set(exact.subarray(i * k, i * k + k))
    for (let j = 0; j < k; j++) if (truth.has(approx[i * k + j]!)) hits++
  }
  return hits / (n * k)
}
