import {
  createExport,
  exampleFolderName,
  listExports,
  planExport,
  requireExport,
  undoExport,
} from '../../export'
import { exportJob } from '../../export/job'
import { activeJobIds, getJob } from '../../jobs'
import type { EngineContext, HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { launchJob } from './jobs'

/** Exports this engine runs or has queued: any other export marked running was cut short. */
function liveExports(ctx: EngineContext): Set<number> {
  const ids = activeJobIds(ctx.lib).map((jobId) => getJob(ctx.lib.db, jobId))
  return new Set(
    ids.filter((job) => job?.kind === 'export').map((job) => Number(job!.params.exportId)),
  )
}

export const exportHandlers: HandlerGroup<
  | 'export.plan'
  | 'export.exampleFolder'
  | 'export.start'
  | 'export.list'
  | 'export.undo'
  | 'export.resume'
> = {
  'export.plan': (ctx, options) => planExport(ctx.lib, options).summary,

  'export.exampleFolder': (ctx, { folderPattern }) => ({
    folder: exampleFolderName(ctx.lib, folderPattern),
  }),

  'export.start': async (ctx, options) => {
    // The journal is written before any file is touched, so the job can resume or be undone.
    const { exportId } = await createExport(ctx.lib, options)
    return { jobId: launchJob(ctx, exportJob(ctx.lib, exportId)), exportId }
  },

  'export.list': (ctx) => listExports(ctx.lib, liveExports(ctx)),

  'export.resume': (ctx, { exportId }) => {
    requireExport(ctx.lib.db, exportId) // not-found for an unknown id
    const state = listExports(ctx.lib, liveExports(ctx)).find((r) => r.id === exportId)?.state
    const refusal: Partial<Record<string, string>> = {
      running: `Export ${exportId} is already running.`,
      done: `Export ${exportId} is already finished.`,
      undone: `Export ${exportId} was undone; start a new one.`,
    }
    const why = state && refusal[state]
    if (why) throw new CommandFailure('conflict', why)
    return { jobId: launchJob(ctx, exportJob(ctx.lib, exportId)) }
  },

  'export.undo': async (ctx, { exportId }) => {
    const { kept } = await undoExport(ctx.lib, exportId)
    ctx.events.emit({ type: 'library.changed' })
    if (kept.length > 0) {
      const first = kept[0]!
      throw new CommandFailure(
        'conflict',
        `The export was undone except for ${kept.length} file${kept.length === 1 ? '' : 's'} left in place, e.g. ${first.target}: ${first.reason}.`,
      )
    }
  },
}
