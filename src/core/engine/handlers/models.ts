import path from 'node:path'
import { activeJobIds, errorMessage, getJob, type JobSpec } from '../../jobs'
import { DEFAULT_MODEL, installModel } from '../../ml/models'
import type { Library } from '../../store/library'
import type { HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { launchJob } from './jobs'

/**
 * Installing the backbone model into the library's models folder as a one-stage job whose
 * done/total are bytes. Re-running it is safe: verified files already staged are kept.
 */
export function installModelJob(lib: Library, from: string, model = DEFAULT_MODEL): JobSpec {
  return {
    kind: 'install-model',
    params: { model, from },
    stages: [
      {
        stage: 'install-model',
        async run(stage) {
          try {
            await installModel(model, {
              from,
              modelsDir: lib.userModelsDir,
              signal: stage.signal,
              onProgress: (bytes, total) => stage.report(bytes, total),
            })
          } catch (error) {
            if (stage.signal.aborted) throw error
            // The installer's messages already name the file or address at fault.
            throw new Error(`Could not install the model: ${errorMessage(error)}`, { cause: error })
          }
        },
      },
    ],
  }
}

/** A folder must be given by its full path; an address must be http(s). */
function checkedSource(from: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from) && !/^https?:\/\//i.test(from)) {
    throw new CommandFailure(
      'invalid-arguments',
      `Only http:// and https:// addresses work (not "${from}").`,
    )
  }
  if (!/^https?:\/\//i.test(from) && !path.isAbsolute(from)) {
    throw new CommandFailure(
      'invalid-arguments',
      `Give the folder's full path or a web address (not "${from}").`,
    )
  }
  return from
}

export const modelHandlers: HandlerGroup<'models.install'> = {
  'models.install': (ctx, { from }) => {
    const installing = activeJobIds(ctx.lib).some(
      (jobId) => getJob(ctx.lib.db, jobId)?.kind === 'install-model',
    )
    if (installing) throw new CommandFailure('conflict', 'The model is already being installed.')
    return { jobId: launchJob(ctx, installModelJob(ctx.lib, checkedSource(from))) }
  },
}
