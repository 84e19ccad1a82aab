import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine/engine'
import { invokeCommand } from '../../src/hosts/invoke'
import { tempDir } from '../helpers/tmp'

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

describe('invoking a command from a page', () => {
  it('forwards valid commands and answers with an envelope', async () => {
    const engine = await Engine.open(tempDir())
    engines.push(engine)
    expect(await invokeCommand(engine, 'jobs.list', {})).toEqual({ ok: true, result: [] })
    expect(await invokeCommand(engine, 'jobs.cancel', { jobId: 7 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'There is no job 7.' },
    })
  })

  it('rejects malformed messages before they reach the engine', async () => {
    const reached: string[] = []
    const engine = await Engine.open(tempDir())
    engines.push(engine)
    const spy = {
      ...engine,
      invoke: (command: string, args: unknown) => {
        reached.push(command)
        return engine.invoke(command as never, args as never)
      },
      onEvent: engine.onEvent.bind(engine),
      photoFile: engine.photoFile.bind(engine),
      close: engine.close.bind(engine),
    }
    const malformed: [unknown, unknown][] = [
      ['library.addFolder', { path: 42 }],
      ['library.addFolder', { path: '/x', extra: true }],
      ['library.addFolder', null],
      ['clusters.merge', { clusterIds: 'all', into: 1 }],
      ['photos.move', { photoIds: [1], to: '../2' }],
      ['require', {}],
      [{ toString: () => 'jobs.list' }, {}],
      [undefined, undefined],
    ]
    for (const [command, args] of malformed) {
      const reply = await invokeCommand(spy, command, args)
      expect(reply.ok, JSON.stringify(command)).toBe(false)
      expect(reply).toMatchObject({ error: { code: 'invalid-arguments' } })
    }
    expect(reached).toEqual([])
  })
})
