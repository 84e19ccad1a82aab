import { describe, expect, test } from 'vitest'
import type { CommandArgs, CommandName, CommandResult } from '../../src/shared/contract'
import { ClustersManager } from '../../src/renderer/src/lib/clusters-manager.svelte'
import { FakeApi } from './fake-api'

/** A FakeApi whose group lists answer only when the test lets them, in any order. */
class HeldLists extends FakeApi {
  held: (() => void)[] = []

  override async invoke<C extends CommandName>(
    command: C,
    args: CommandArgs<C>,
  ): Promise<CommandResult<C>> {
    const answer = await super.invoke(command, args)
    if (command === 'clusters.list') await new Promise<void>((go) => this.held.push(go))
    return answer
  }
}

describe('ClustersManager', () => {
  test('an edit reloads the groups only through the engine’s announcement', async () => {
    const api = new FakeApi({ sizes: [6, 4, 3] })
    const clusters = new ClustersManager(api)
    api.onEvent((e) => {
      if (e.type === 'clusters.changed') void clusters.refresh()
    })
    await clusters.refresh()
    await clusters.merge([1, 2], 1)
    await clusters.rename(3, 'Boats')
    await new Promise((r) => setTimeout(r, 0))
    expect(api.callsOf('clusters.list')).toHaveLength(3)
    expect(clusters.clusters.map((c) => [c.name, c.size])).toEqual([
      ['Group 1', 10],
      ['Boats', 3],
    ])
    expect(clusters.version).toBe(3)
  })

  test('an older list answering last does not overwrite a newer one', async () => {
    const api = new HeldLists({ sizes: [6, 4, 3] })
    const clusters = new ClustersManager(api)
    const before = clusters.refresh()
    // The first list was read before the merge; the second after it.
    await new Promise((r) => setTimeout(r, 0))
    await api.invoke('clusters.merge', { clusterIds: [1, 2], into: 1 })
    const after = clusters.refresh()
    await new Promise((r) => setTimeout(r, 0))
    expect(api.held).toHaveLength(2)
    api.held[1]!()
    await after
    api.held[0]!()
    await before
    expect(clusters.clusters.map((c) => c.id)).toEqual([1, 3])
    expect(clusters.version).toBe(1)
  })
})
