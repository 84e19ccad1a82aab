/** Small seeded PRNG (mulberry32): repeatable runs without a dependency. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher-Yates shuffle of 0..n-1. */
export function permutation(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = out[i]!
    out[i] = out[j]!
    out[j] = t
  }
  return out
}

/**
 * Normal(0, std) initial weights from the seeded generator. Not tf.randomNormal: TF.js treats
 * seed 0 (the default) as "no seed" and draws from Math.random, so runs were not repeatable.
 */
export function gaussianWeights(count: number, std: number, seed: number): Float32Array {
  const random = seededRandom((seed ^ 0x5eed5eed) >>> 0)
  const out = new Float32Array(count)
  for (let i = 0; i < count; i += 2) {
    const r = std * Math.sqrt(-2 * Math.log(1 - random()))
    const t = 2 * Math.PI * random()
    out[i] = r * Math.cos(t)
    if (i + 1 < count) out[i + 1] = r * Math.sin(t)
  }
  return out
}
