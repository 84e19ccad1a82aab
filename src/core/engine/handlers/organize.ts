import { version } from '../../../../package.json'
import { findResumableJob } from '../../jobs'
import { initBackend } from '../../ml/backend'
import { probeEmbedder } from '../../ml/embed'
import { notices } from '../../ml/notices'
import { DEFAULT_MODEL, librarySearch, locateModel } from '../../ml/models'
import { organizeJob, organizeParams } from '../../pipeline'
import type { EngineContext, HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { launchJob } from './jobs'

function modelInstalled(ctx: EngineContext, model: string): boolean {
  try {
    locateModel(model, librarySearch(ctx.lib))
    return true
  } catch {
    return false
  }
}

/** Refuses to start training without the model, with the message that says how to install it. */
function requireModel(ctx: EngineContext, model: string): void {
  try {
    locateModel(model, librarySearch(ctx.lib))
  } catch (error) {
    throw new CommandFailure('conflict', error instanceof Error ? error.message : String(error))
  }
}

export const organizeHandlers: HandlerGroup<'engine.info' | 'organize.start' | 'organize.resume'> =
  {
    'engine.info': async (ctx) => {
      const { backend, device } = await initBackend()
      const embedder = await probeEmbedder(ctx.lib).catch(() => null)
      return {
        version,
        libraryDir: ctx.lib.dir,
        backend,
        device,
        embedder,
        notices: notices(),
        model: DEFAULT_MODEL,
        modelInstalled: modelInstalled(ctx, DEFAULT_MODEL),
      }
    },

    'organize.start': (ctx, { clusters, seed }) => {
      const params = organizeParams({ clusters, seed })
      requireModel(ctx, params.model)
      // The same request after an interruption continues where it stopped.
      const open = findResumableJob(ctx.lib.db, 'organize')
      const same = open && JSON.stringify(open.params) === JSON.stringify(params)
      const jobId = launchJob(ctx, organizeJob(ctx.lib, params), {
        resumeJobId: same ? open.id : undefined,
      })
      return { jobId }
    },

    'organize.resume': (ctx) => {
      const open = findResumableJob(ctx.lib.db, 'organize')
      if (!open) return null
      const params = organizeParams(open.params)
      requireModel(ctx, params.model)
      return { jobId: launchJob(ctx, organizeJob(ctx.lib, params), { resumeJobId: open.id }) }
    },
  }
