import { seededRandom } from '../../../src/core/ml/random'

/**
 * Unit-length Gaussian blobs with the given class sizes: each class a random non-negative
 * centre (like pooled ReLU features) plus noise, rows L2-normalised.
 */
export function blobs(
  sizes: number[],
  dim: number,
  noise: number,
  seed: number,
): { data: Float32Array; labels: number[]; n: number; dim: number } {
  const random = seededRandom(seed)
  const gauss = (): number => {
    const u = Math.max(random(), 1e-12)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
  }
  const centres = sizes.map(() => Array.from({ length: dim }, () => random()))
  const n = sizes.reduce((a, s) => a + s, 0)
  const data = new Float32Array(n * dim)
  const labels: number[] = []
  let row = 0
  sizes.forEach((size, c) => {
    for (let i = 0; i < size; i++, row++) {
      let norm = 0
      for (let d = 0; d < dim; d++) {
        const v = centres[c]![d]! + noise * gauss()
        data[row * dim + d] = v
        norm += v * v
      }
      for (let d = 0; d < dim; d++) data[row * dim + d]! /= Math.sqrt(norm)
      labels.push(c)
    }
  })
  return { data, labels, n, dim }
}
