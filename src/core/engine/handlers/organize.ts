import path from 'node:path'
import { version } from '../../../../package.json'
import { initBackend } from '../../ml/backend'
import { probeEmbedder } from '../../ml/embed'
import { notices } from '../../ml/notices'
import { DEFAULT_MODEL, librarySearch, locateModel } from '../../ml/models'
import { interruptedOrganize, organizeJob, organizeParams, resumableOrganize } from '../../pipeline'
import { checkFolder } from '../../ingest'
import type { EngineContext, HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { launchJob } from './jobs'

function absolute(folder: string): string {
  if (!path.isAbsolute(folder))
    throw new CommandFailure('invalid-arguments', `Give the folder's full path (not "${folder}").`)
  return folder
}

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

    'organize.start': (ctx, { clusters, seed, folders = [] }) => {
      const checked = folders.map((folder) => checkFolder(absolute(folder), ctx.lib.dir))
      const params = organizeParams({ folders: checked, clusters, seed })
      requireModel(ctx, params.model)
      // The same request after an interruption continues where it stopped.
      const resumeJobId = resumableOrganize(ctx.lib.db, params)
      return { jobId: launchJob(ctx, organizeJob(ctx.lib, params), { resumeJobId }) }
    },

    'organize.resume': (ctx) => {
      const open = interruptedOrganize(ctx.lib.db)
      if (!open) return null
      requireModel(ctx, open.params.model)
      const spec = organizeJob(ctx.lib, open.params)
      return { jobId: launchJob(ctx, spec, { resumeJobId: open.jobId }) }
    },
  }
