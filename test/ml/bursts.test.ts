import { describe, expect, it } from 'vitest'
import { BURST_WINDOW_MS, burstLeaders, burstRepresentatives } from '../../src/core/ml/bursts'

const DIM = 3
const SECOND = 1000

/** Unit rows: `look` 0 and 1 are two scenes (cosine 0); a small `nudge` keeps a look's copies ~.99 alike. */
function rows(looks: number[], nudge = 0.1): Float32Array {
  const out = new Float32Array(looks.length * DIM)
  looks.forEach((look, i) => {
    const row = [look === 0 ? 1 : 0, look === 1 ? 1 : 0, nudge * (i % 2)]
    const norm = Math.hypot(...row)
    row.forEach((v, d) => (out[i * DIM + d] = v / norm))
  })
  return out
}

describe('bursts', () => {
  it('joins alike photos taken seconds apart, and chains of them', () => {
    // 0–2 one scene 1 s apart; 3–5 the same scene, 4 s steps: only neighbours within the window.
    const takenAt = [0, 1, 2, 60, 64, 68].map((s) => s * SECOND + 1e12)
    const leaders = burstLeaders(takenAt, rows([0, 0, 0, 0, 0, 0]), DIM)
    expect([...leaders]).toEqual([0, 0, 0, 3, 3, 3])
    expect(burstRepresentatives(leaders)).toEqual([0, 3])
  })

  it('keeps apart photos far apart in time, of another scene, or without a capture time', () => {
    const t = 1e12
    const takenAt = [t, t + 3 * BURST_WINDOW_MS, t + SECOND, null, t + 2 * SECOND]
    // 1: the same scene well past the window; 2: another scene a second later; 3: no time;
    // 4: the first scene again, within the window of 0.
    const leaders = burstLeaders(takenAt, rows([0, 0, 1, 0, 0]), DIM)
    expect([...leaders]).toEqual([0, 1, 2, 3, 0])
  })

  it('leads a burst with its first photo in the library order, whatever the times', () => {
    const takenAt = [5 * SECOND, 4 * SECOND, 3 * SECOND]
    expect([...burstLeaders(takenAt, rows([0, 0, 0]), DIM)]).toEqual([0, 0, 0])
  })

  it('copes with thousands of photos stamped with one time (a clock never set)', () => {
    // 3,000 photos at one instant: 2,900 unlike one another, then 100 shots of one scene.
    const n = 3000
    const dim = 64
    const features = new Float32Array(n * dim)
    let seed = 7
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dim; d++) features[i * dim + d] = i < 2900 ? random() : d === 0 ? 1 : 0
    }
    const leaders = burstLeaders(new Array<number>(n).fill(1e12), features, dim)
    // Random directions in 64 dimensions are nowhere near alike; the 100 shots are one burst.
    expect(burstRepresentatives(leaders)).toHaveLength(2901)
    expect(new Set(leaders.subarray(2900))).toEqual(new Set([2900]))
  })

  it('refuses features that do not match the photos', () => {
    expect(() => burstLeaders([0, 0], new Float32Array(5), DIM)).toThrow(/expected 6/)
  })
})
