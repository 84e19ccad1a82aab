import path from 'node:path'
import {
  addFolder,
  getFolder,
  librarySummary,
  listFailures,
  listFolders,
  setFolderWatched,
} from '../../library'
import { currentRun } from '../../clusters'
import { checkFolder, ownFolderHolding } from '../../ingest'
import { importJob } from '../../ingest/job'
import { removeFolder } from '../../ingest/remove-folder'
import { checkFolderToRead } from '../../fs/user-folders'
import { assignJob } from '../../pipeline'
import type { EngineContext, HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { launchJob } from './jobs'

/** A folder someone typed or picked: an absolute path to an existing, real folder. */
function checkedFolder(folder: string): string {
  if (!path.isAbsolute(folder)) {
    throw new CommandFailure('invalid-arguments', `Give the folder's full path (not "${folder}").`)
  }
  return checkFolderToRead(folder)
}

/**
 * Imports folders as a job. When groups exist, the photos new to the library are then embedded
 * and put into them with the trained model (a queued job of its own, no retraining).
 */
function importThenAssign(
  ctx: EngineContext,
  folders: string[],
): { jobId: number; assignJobId: number | null } {
  const jobId = launchJob(ctx, importJob(ctx.lib, folders))
  const assignJobId = currentRun(ctx.lib.db) ? launchJob(ctx, assignJob(ctx.lib)) : null
  return { jobId, assignJobId }
}

export const libraryHandlers: HandlerGroup<
  | 'library.summary'
  | 'library.addFolder'
  | 'library.removeFolder'
  | 'library.rescan'
  | 'library.watchFolder'
  | 'library.import'
  | 'library.failures'
> = {
  'library.summary': (ctx) => librarySummary(ctx.lib),

  'library.addFolder': (ctx, { path: folder }) => {
    const checked = checkedFolder(folder)
    const own = ownFolderHolding(checked, ctx.lib.dir)
    if (own) {
      throw new CommandFailure(
        'invalid-arguments',
        `${checked} is inside ${own}, where the library keeps its own files: they are not photos.`,
      )
    }
    const added = addFolder(ctx.lib, checked)
    const { jobId } = importThenAssign(ctx, [added.path])
    ctx.events.emit({ type: 'library.changed' })
    return { folder: added, jobId }
  },

  'library.removeFolder': (ctx, { folderId }) => {
    if (!getFolder(ctx.lib, folderId)) {
      throw new CommandFailure('not-found', `There is no source folder ${folderId}.`)
    }
    removeFolder(ctx.lib, folderId)
    ctx.events.emit({ type: 'library.changed' })
    ctx.events.emit({ type: 'clusters.changed' })
  },

  'library.rescan': (ctx) => {
    const folders = listFolders(ctx.lib).map((f) => f.path)
    if (folders.length === 0) throw new CommandFailure('conflict', 'Add a photo folder first.')
    return { jobId: importThenAssign(ctx, folders).jobId }
  },

  'library.import': (ctx, { paths }) => {
    const checked = paths.map((folder) => checkFolder(checkedFolder(folder), ctx.lib.dir))
    const folders = checked.map((folder) => addFolder(ctx.lib, folder))
    const jobs = importThenAssign(ctx, [...new Set(folders.map((f) => f.path))])
    ctx.events.emit({ type: 'library.changed' })
    return { folders, ...jobs }
  },

  'library.watchFolder': (ctx, { folderId, watch }) => {
    const folder = setFolderWatched(ctx.lib, folderId, watch)
    if (!folder) throw new CommandFailure('not-found', `There is no source folder ${folderId}.`)
    ctx.events.emit({ type: 'library.changed' })
    return folder
  },

  'library.failures': (ctx, page) => listFailures(ctx.lib, page),
}
