import { describe, expect, it } from 'vitest'
import { initBackend } from '../../src/core/ml/backend'
import { notice, notices, onNotice } from '../../src/core/ml/notices'

describe('notices', () => {
  it('tells each listener once, however often the same notice is given', () => {
    const heard: string[] = []
    const stop = onNotice((m) => heard.push(m))
    notice('test-once', 'Install the faster thing: npm install faster-thing')
    notice('test-once', 'Install the faster thing: npm install faster-thing')
    stop()
    notice('test-after', 'not heard: the listener stopped')
    expect(heard).toEqual(['Install the faster thing: npm install faster-thing'])
    expect(notices()).toEqual(expect.arrayContaining([heard[0], 'not heard: the listener stopped']))
  })

  it('says that tfjs-node is missing, with the command, when training falls back to WASM here', async () => {
    const info = await initBackend(undefined, {})
    // This machine has neither tfjs-node package nor a GPU: WASM trains.
    expect(info.backend).toBe('wasm')
    const said = notices().filter((m) => m.includes('@tensorflow/tfjs-node'))
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/trains on WebAssembly.*npm install @tensorflow\/tfjs-node/)
  })
})
