import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Engine } from '../../src/core/engine/engine'
import { LOOKALIKE_HINT } from '../../src/core/clusters'
import { openLibrary } from '../../src/core/store/library'
import { sharedDir } from '../helpers/shared'
import { tempDir } from '../helpers/tmp'
import { commandFailure, runJob, twoClasses } from './fixtures'

const engines: Engine[] = []
let previous: string | undefined
beforeEach(() => {
  previous = process.env.KINDRED_MODELS_DIR
  process.env.KINDRED_MODELS_DIR = path.join(sharedDir, 'models')
})
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
  if (previous === undefined) delete process.env.KINDRED_MODELS_DIR
  else process.env.KINDRED_MODELS_DIR = previous
})

/** 20 Motorbikes and 20 sunflowers organized into 2 groups, and which group holds which kind. */
async function organized() {
  const dir = tempDir('kindred-lib-')
  const engine = await Engine.open(dir)
  engines.push(engine)
  await runJob(engine, () => engine.invoke('library.addFolder', { path: twoClasses() }))
  await runJob(engine, () => engine.invoke('organize.start', { clusters: 2, seed: 1 }))
  const { clusters } = await engine.invoke('clusters.list', { sort: 'size' })
  const kindOf = async (clusterId: number) => {
    const { members } = await engine.invoke('clusters.members', {
      clusterId,
      offset: 0,
      limit: 100,
    })
    return members.map((m) => m.fileName.split('-')[0])
  }
  const [motorbikes, sunflowers] = (await kindOf(clusters[0]!.id)).includes('Motorbikes')
    ? [clusters[0]!, clusters[1]!]
    : [clusters[1]!, clusters[0]!]
  return { engine, dir, motorbikes, sunflowers, kindOf }
}

describe('groups that look alike', () => {
  it('points at the two pieces of a kind, never at another kind, until they are merged', async () => {
    const { engine, motorbikes, sunflowers, kindOf } = await organized()
    expect(await kindOf(motorbikes.id)).not.toContain('sunflower')
    // Two groups leave nothing to compare a pair with.
    expect(await engine.invoke('clusters.lookalikes', {})).toEqual([])

    const { clusterIds } = await engine.invoke('clusters.split', {
      clusterId: motorbikes.id,
      parts: 2,
    })
    const pairs = await engine.invoke('clusters.lookalikes', {})
    expect(pairs).toHaveLength(1)
    expect([...pairs[0]!.clusterIds].sort()).toEqual([...clusterIds].sort())
    expect(pairs[0]!.score).toBeGreaterThanOrEqual(LOOKALIKE_HINT)
    expect(await engine.invoke('clusters.lookalikes', { clusterId: clusterIds[1]! })).toEqual(pairs)
    expect(await engine.invoke('clusters.lookalikes', { clusterId: sunflowers.id })).toEqual([])

    // Two groups a person named are kept apart on purpose; one name is not enough.
    await engine.invoke('clusters.rename', { clusterId: clusterIds[0]!, name: 'Road bikes' })
    expect(await engine.invoke('clusters.lookalikes', {})).toEqual(pairs)
    await engine.invoke('clusters.rename', { clusterId: clusterIds[1]!, name: 'Dirt bikes' })
    expect(await engine.invoke('clusters.lookalikes', {})).toEqual([])
    await engine.invoke('edits.undo', {})

    await engine.invoke('clusters.merge', { clusterIds: [clusterIds[1]!], into: clusterIds[0]! })
    expect(await engine.invoke('clusters.lookalikes', {})).toEqual([])
  })

  it('stops suggesting a pair a person keeps apart, and says the groups changed', async () => {
    const { engine, motorbikes } = await organized()
    const { clusterIds } = await engine.invoke('clusters.split', {
      clusterId: motorbikes.id,
      parts: 2,
    })
    expect(await engine.invoke('clusters.lookalikes', {})).toHaveLength(1)
    const seen: string[] = []
    engine.onEvent((e) => seen.push(e.type))
    const [a, b] = clusterIds as [number, number]
    await engine.invoke('clusters.keepApart', { clusterIds: [b, a] })
    expect(await engine.invoke('clusters.lookalikes', {})).toEqual([])
    expect(seen).toContain('clusters.changed')
    // Nothing moved: the edit history is the split's, and the two can still be merged.
    expect((await engine.invoke('edits.state', {})).undoLabel).toMatch(/^Split /)
    await engine.invoke('clusters.keepApart', { clusterIds: [a, b] }) // again: no error
    await engine.invoke('clusters.merge', { clusterIds: [b], into: a })
    const gone = await commandFailure(engine.invoke('clusters.keepApart', { clusterIds: [a, b] }))
    expect(gone.message).toMatch(/was merged into another group/)
  })

  it('keeps a pair apart when the library is organized again', async () => {
    const { engine, motorbikes, kindOf } = await organized()
    const { clusterIds } = await engine.invoke('clusters.split', {
      clusterId: motorbikes.id,
      parts: 2,
    })
    const partKinds = await Promise.all(clusterIds.map(kindOf))
    await engine.invoke('clusters.keepApart', { clusterIds: [clusterIds[0]!, clusterIds[1]!] })
    await runJob(engine, () => engine.invoke('organize.start', { clusters: 2, seed: 1 }))

    // The split parts are a person's groups: they outlive the new run, still not the same kind.
    const { clusters } = await engine.invoke('clusters.list', { sort: 'size' })
    expect(clusters).toHaveLength(3)
    const kinds = await Promise.all(clusters.map((c) => kindOf(c.id)))
    for (const part of partKinds) expect(kinds).toContainEqual(part)
    expect(await engine.invoke('clusters.lookalikes', {})).toEqual([])
  })

  it('answers from the library as it is now, after a change through this engine or another process', async () => {
    const { engine, dir, motorbikes } = await organized()
    const { clusterIds } = await engine.invoke('clusters.split', {
      clusterId: motorbikes.id,
      parts: 2,
    })
    const [a, b] = clusterIds as [number, number]
    const pairs = await engine.invoke('clusters.lookalikes', {})
    expect(pairs).toHaveLength(1)
    pairs[0]!.clusterIds.reverse() // what a caller does with its answer is not the engine's
    expect(await engine.invoke('clusters.lookalikes', { clusterId: a })).toEqual([
      { ...pairs[0], clusterIds: [...pairs[0]!.clusterIds].reverse() },
    ])

    // Not the same, through this engine; then another process takes it back.
    await engine.invoke('clusters.keepApart', { clusterIds: [a, b] })
    expect(await engine.invoke('clusters.lookalikes', {})).toEqual([])
    const other = openLibrary(dir)
    try {
      other.db.prepare(`DELETE FROM apart_groups`).run()
    } finally {
      other.close()
    }
    expect(await engine.invoke('clusters.lookalikes', { clusterId: b })).toHaveLength(1)
  })

  it('answers a group that does not exist with a clear error, and bad arguments too', async () => {
    const { engine } = await organized()
    const missing = await commandFailure(
      engine.invoke('clusters.lookalikes', { clusterId: 999_999 }),
    )
    expect(missing.code).toBe('not-found')
    expect(missing.message).toMatch(/Group 999999 does not exist/)
    const bad = await commandFailure(
      engine.invoke('clusters.lookalikes', { clusterId: 'x' as unknown as number }),
    )
    expect(bad.code).toBe('invalid-arguments')
    const { clusters } = await engine.invoke('clusters.list', { sort: 'size' })
    const one = clusters[0]!.id
    const same = await commandFailure(
      engine.invoke('clusters.keepApart', { clusterIds: [one, one] }),
    )
    expect(same.message).toBe('Choose two different groups.')
    const unknown = await commandFailure(
      engine.invoke('clusters.keepApart', { clusterIds: [one, 999_999] }),
    )
    expect(unknown.code).toBe('not-found')
    const short = await commandFailure(
      engine.invoke('clusters.keepApart', { clusterIds: [one] as unknown as [number, number] }),
    )
    expect(short.code).toBe('invalid-arguments')
  })
})
