import { createExport, listExports, planExport, runExport, undoExport } from '../../export'
import type { HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { launchJob } from './jobs'

export const exportHandlers: HandlerGroup<
  'export.plan' | 'export.start' | 'export.list' | 'export.undo'
> = {
  'export.plan': (ctx, options) => planExport(ctx.lib, options).summary,

  'export.start': async (ctx, options) => {
    // The journal is written before any file is touched, so the job can resume or be undone.
    const { exportId } = await createExport(ctx.lib, options)
    const jobId = launchJob(ctx, {
      kind: 'export',
      params: { exportId },
      stages: [
        {
          stage: 'export',
          async run(stage) {
            await runExport(ctx.lib, exportId, {
              signal: stage.signal,
              onProgress: (done, total) => stage.report(done, total),
            })
          },
        },
      ],
    })
    return { jobId, exportId }
  },

  'export.list': (ctx) => listExports(ctx.lib),

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
