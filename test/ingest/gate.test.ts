import { describe, expect, it } from 'vitest'
import { DecodeGate } from '../../src/core/ingest/gate'

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('DecodeGate', () => {
  it('runs an exclusive task only when no shared task runs, and holds new ones back', async () => {
    const gate = new DecodeGate()
    const log: string[] = []
    const shared = (name: string, ms: number) =>
      gate.shared(async () => {
        log.push(`${name}+`)
        await tick(ms)
        log.push(`${name}-`)
      })
    const first = shared('a', 30)
    const second = shared('b', 10)
    await tick(1)
    const alone = gate.exclusive(async () => {
      log.push('X+')
      await tick(10)
      log.push('X-')
    })
    await tick(1)
    const late = shared('c', 1)
    await Promise.all([first, second, alone, late])
    expect(log).toEqual(['a+', 'b+', 'b-', 'a-', 'X+', 'X-', 'c+', 'c-'])
  })

  it('runs exclusive tasks one after another', async () => {
    const gate = new DecodeGate()
    let inside = 0
    let most = 0
    await Promise.all(
      Array.from({ length: 5 }, () =>
        gate.exclusive(async () => {
          most = Math.max(most, ++inside)
          await tick(2)
          inside--
        }),
      ),
    )
    expect(most).toBe(1)
  })
})
