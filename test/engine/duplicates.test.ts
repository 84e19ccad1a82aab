/**
 * The near-duplicate commands through the Engine, as every host sends them: find at the default
 * and at a chosen threshold, keep one (an undoable edit announced to every window), show again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/shared/contract'
import { Engine } from '../../src/core/engine/engine'
import { openLibrary } from '../../src/core/store/library'
import { tempDir } from '../helpers/tmp'
import { commandFailure } from './fixtures'
import {
  duplicatePhotos,
  embedAndLink,
  oneGroupRun,
  removeSuiteDirs,
  suiteDir,
} from '../duplicates/fixture'

describe('duplicates commands', { timeout: 600_000 }, () => {
  let engine: Engine
  const events: EngineEvent[] = []

  beforeAll(async () => {
    const dir = suiteDir('kindred-dups-engine-')
    const lib = openLibrary(dir)
    try {
      await embedAndLink(lib, await duplicatePhotos())
      oneGroupRun(lib)
    } finally {
      lib.close()
    }
    engine = await Engine.open(dir)
    engine.onEvent((e) => events.push(e))
  }, 600_000)
  afterAll(async () => {
    await engine?.close()
    removeSuiteDirs()
  })

  it('finds the sets at the default threshold and at the one asked for', async () => {
    const report = await engine.invoke('duplicates.find', {})
    expect(report.ready).toBe(true)
    expect(report.threshold).toBe(report.defaultThreshold)
    expect(report.sets.map((s) => s.photos.length).sort()).toEqual([2, 3])
    const strict = await engine.invoke('duplicates.find', { threshold: 0.999 })
    expect(strict.threshold).toBe(0.999)
    expect(strict.sets.length).toBeLessThanOrEqual(report.sets.length)
    const error = await commandFailure(engine.invoke('duplicates.find', { threshold: 0.1 }))
    expect(error.code).toBe('invalid-arguments')
  })

  it('keeps the suggested photo, hides the rest, and undoes it through edits.undo', async () => {
    const before = (await engine.invoke('clusters.list', { sort: 'size' })).clusters[0]!.size
    const set = (await engine.invoke('duplicates.find', {})).sets.find(
      (s) => s.photos.length === 3,
    )!
    const hide = set.photos.map((p) => p.photoId).filter((id) => id !== set.keeper)
    events.length = 0
    await engine.invoke('duplicates.keep', { keep: set.keeper, hide })
    expect(events.map((e) => e.type)).toEqual(['clusters.changed', 'edits.changed'])
    expect(events[1]).toMatchObject({ state: { canUndo: true, undoLabel: /hide 2 photos/ } })
    const size = async () =>
      (await engine.invoke('clusters.list', { sort: 'size' })).clusters[0]!.size
    expect(await size()).toBe(before - 2)
    const hidden = (await engine.invoke('duplicates.find', {})).hidden.map((p) => p.photoId)
    expect(hidden.sort()).toEqual([...hide].sort())

    await engine.invoke('edits.undo', {})
    expect(await size()).toBe(before)
    await engine.invoke('edits.redo', {})
    expect(await size()).toBe(before - 2)
    await engine.invoke('photos.show', { photoIds: hide })
    expect(await size()).toBe(before)
    expect((await engine.invoke('duplicates.find', {})).hidden).toEqual([])
  })

  it('answers not-found for photos that are not in the library', async () => {
    const error = await commandFailure(
      engine.invoke('duplicates.keep', { keep: 1, hide: [424242] }),
    )
    expect(error.code).toBe('not-found')
    expect(error.message).toMatch(/424242/)
    expect((await commandFailure(engine.invoke('photos.show', { photoIds: [424242] }))).code).toBe(
      'not-found',
    )
  })
})

describe('duplicates commands on a library never organized', () => {
  it('find nothing and say so, and keeping asks to organize first', async () => {
    const engine = await Engine.open(tempDir('kindred-dups-new-'))
    try {
      const report = await engine.invoke('duplicates.find', {})
      expect(report).toMatchObject({ ready: false, sets: [] })
      const error = await commandFailure(engine.invoke('photos.show', { photoIds: [1] }))
      expect(error.code).toBe('not-found')
    } finally {
      await engine.close()
    }
  })
})
