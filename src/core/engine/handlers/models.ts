import path from 'node:path'
import { activeJobIds, errorMessage, getJob } from '../../jobs'
import type { ModelStatus } from '../../../shared/contract'
import {
  candidateDirs,
  DEFAULT_MODEL,
  hasAllFiles,
  librarySearch,
  MODELS,
  requireModel,
  verifyModelDir,
} from '../../ml/models'
import { installModelJob } from '../../ml/models/job'
import type { Library } from '../../store/library'
import type { HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { launchJob } from './jobs'

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
