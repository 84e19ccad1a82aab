/**
 * An organize job that makes a new run ends the old run's undo history: the engine says so with
 * an `edits.changed` event, so no host keeps offering an Undo that would fail.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createRun, finishRun } from '../../src/core/clusters'
import { editState, renameCluster } from '../../src/core/edits'
import type { EngineContext } from '../../src/core/engine/context'
import { EventHub } from '../../src/core/engine/events'
import { launchJob } from '../../src/core/engine/handlers/jobs'
import type { Library } from '../../src/core/store/library'
import type { EngineEvent } from '../../src/shared/contract'
import { buildFixture, MODEL } from '../edits/fixture'

const open: Library[] = []
afterEach(() => {
  for (const lib of open.splice(0)) lib.close()
})

describe('organize job end', () => {
  it('announces the edit state of the new run: nothing to undo', async () => {
    const { lib, clusterIds, photosByClass } = await buildFixture(3)
    open.push(lib)
    renameCluster(lib, clusterIds[0]!, 'Cats')
    expect(editState(lib.db).canUndo).toBe(true)

    const events = new EventHub<EngineEvent>()
    const seen: EngineEvent[] = []
    events.on((e) => seen.push(e))
    const ctx: EngineContext = {
      lib,
      events,
      closing: new AbortController().signal,
      running: new Set(),
    }
    // The assign stage of a real organize job, in short: a new run becomes the current one.
    const photoIds = photosByClass.flat()
    const k = photosByClass.length
    const probs = new Float32Array(photoIds.length * k)
    photosByClass.forEach((ids, c) =>
      ids.forEach((_, i) => (probs[(c * ids.length + i) * k + c] = 1)),
    )
    launchJob(ctx, {
      kind: 'organize',
      params: {},
      stages: [
        {
          stage: 'assign',
          run: async () =>
            void finishRun(lib.db, createRun(lib.db, MODEL, {}), { photoIds, probs, k }),
        },
      ],
    })
    await Promise.all(ctx.running)
    await expect.poll(() => seen.some((e) => e.type === 'edits.changed')).toBe(true)
    expect(seen.filter((e) => e.type === 'edits.changed').at(-1)).toEqual({
      type: 'edits.changed',
      state: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null },
    })
    expect(editState(lib.db).canUndo).toBe(false)
  })
})
