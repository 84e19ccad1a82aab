/**
 * Closing the embedding workers while passes are still running (a cancelled organize, a
 * closed library) lets each pass finish inside the native runtime and releases the model
 * before the thread ends: terminating a thread inside a native pass can take the whole
 * process down.
 */
import { describe, expect, it } from 'vitest'
import { INPUT_SIZE } from '../../../src/core/ml/backbone'
import { EmbedWorker } from '../../../src/core/ml/worker/client'
import { sharedPath } from '../../helpers/shared'

const modelDir = sharedPath('models', 'mobilenet_v2_1.0_224')
const per = INPUT_SIZE * INPUT_SIZE * 3

describe('closing an embedding worker', () => {
  it('while passes run: they are refused, the thread ends by itself, and a new one works', async () => {
    const worker = await EmbedWorker.start({ modelDir, runtime: 'onnxruntime', threads: 1 })
    const passes = [1, 2, 3].map(() => worker.embed(new Uint8Array(4 * per).fill(90), 4))
    const settled = Promise.allSettled(passes)
    expect(await worker.close(120_000)).toBe('ended')
    for (const s of await settled) {
      expect(s.status).toBe('rejected')
      expect(String((s as PromiseRejectedResult).reason)).toMatch(/closed/)
    }
    await expect(worker.embed(new Uint8Array(per), 1)).rejects.toThrow(/closed/)
    expect(await worker.close()).toBe('ended') // twice is harmless

    const next = await EmbedWorker.start({ modelDir, runtime: 'onnxruntime', threads: 1 })
    try {
      const features = await next.embed(new Uint8Array(per).fill(200), 1)
      expect(features.length).toBe(1280)
      expect(Math.hypot(...features)).toBeCloseTo(1, 4)
    } finally {
      await next.close()
    }
  }, 180_000)
})
