import path from 'node:path'
import { activeJobIds, errorMessage, getJob, type JobSpec } from '../../jobs'
import type { ModelStatus } from '../../../shared/contract'
import {
  candidateDirs,
  DEFAULT_MODEL,
  hasAllFiles,
  installModel,
  librarySearch,
  MODELS,
  requireModel,
  verifyModelDir,
} from '../../ml/models'
import type { Library } from '../../store/library'
import type { HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { launchJob } from './jobs'

/**
 * Installing the backbone model into the library's models folder as a one-stage job whose
 * done/total are bytes. Re-running it is safe: verified files already staged are kept.
 */
export function installModelJob(lib: Library, from: string, model = DEFAULT_MODEL): JobSpec {
  let installed: { id: string; dir: string; files: number; bytes: number } | undefined
  return {
    kind: 'install-model',
    params: { model, from },
    stages: [
      {
        stage: 'install-model',
        async run(stage) {
          try {
            installed = await installModel(model, {
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
    summary: () => (installed ? { installed } : {}),
  }
}

/** Every known model: where this library finds it, and (with `verify`) whether it is intact. */
async function modelStatuses(lib: Library, verify: boolean): Promise<ModelStatus[]> {
  const list: ModelStatus[] = []
  for (const entry of MODELS) {
    const found = candidateDirs(entry.id, librarySearch(lib)).find((c) => hasAllFiles(c.dir, entry))
    const status: ModelStatus = {
      id: entry.id,
      title: entry.title,
      dim: entry.dim,
      bytes: entry.bytes,
      installed: found !== undefined,
      source: found?.source ?? null,
      dir: found?.dir ?? null,
    }
    if (verify && found) {
      const problems = await verifyModelDir(found.dir, entry)
      status.verified = problems.length === 0
      status.problems = problems.map((p) => `${p.file}: ${p.problem}`)
    }
    list.push(status)
  }
  return list
}

/** A model the registry knows; the contract's error for any other name. */
function knownModel(model: string): string {
  try {
    return requireModel(model).id
  } catch (error) {
    throw new CommandFailure('invalid-arguments', errorMessage(error))
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

export const modelHandlers: HandlerGroup<'models.install' | 'models.list'> = {
  'models.list': (ctx, { verify }) => modelStatuses(ctx.lib, verify === true),
  'models.install': (ctx, { from, model = DEFAULT_MODEL }) => {
    const installing = activeJobIds(ctx.lib).some(
      (jobId) => getJob(ctx.lib.db, jobId)?.kind === 'install-model',
    )
    if (installing) throw new CommandFailure('conflict', 'The model is already being installed.')
    const spec = installModelJob(ctx.lib, checkedSource(from), knownModel(model))
    return { jobId: launchJob(ctx, spec) }
  },
}
