/**
 * golden.json's two inputs, defined by formula per pixel (row i, column j, channel c), and the
 * error measure the backbone tests compare against it with.
 */
export type GoldenInput = 'waves' | 'checker'

export function goldenValue(kind: GoldenInput, i: number, j: number, c: number): number {
  return kind === 'waves'
    ? 0.9 * Math.sin(0.05 * i + 0.07 * j + 1.3 * c)
    : ((Math.floor(i / 16) + Math.floor(j / 16)) % 2 === 1 ? 0.8 : -0.8) * (c === 1 ? -1 : 1)
}

/** ‖actual − expected‖ / ‖expected‖. */
export function relativeError(actual: Float32Array, expected: number[]): number {
  let diff = 0
  let norm = 0
  for (let i = 0; i < expected.length; i++) {
    diff += ((actual[i] as number) - (expected[i] as number)) ** 2
    norm += (expected[i] as number) ** 2
  }
  return Math.sqrt(diff / norm)
}
