import type { CommandName } from '../../../shared/contract'
import type { Handler, Handlers } from '../context'
import { CommandFailure } from '../errors'

/**
 * Commands whose core module has not landed in this build yet answer with a clear
 * 'engine-unavailable' error instead of pretending to work. Each entry is replaced (in
 * commands.ts) by the real handler as the module arrives.
 */
const unavailable =
  (command: CommandName): Handler<CommandName> =>
  () => {
    throw new CommandFailure(
      'engine-unavailable',
      `"${command}" is not available in this build yet.`,
    )
  }

export const pendingHandlers = Object.fromEntries(
  (
    [
      'engine.info',
      'library.summary',
      'library.addFolder',
      'library.removeFolder',
      'library.rescan',
      'library.failures',
      'organize.start',
      'organize.resume',
      'clusters.list',
      'clusters.members',
      'clusters.rename',
      'clusters.merge',
      'clusters.split',
      'photos.move',
      'photos.details',
      'edits.state',
      'edits.undo',
      'edits.redo',
      'export.plan',
      'export.start',
      'export.list',
      'export.undo',
    ] as const
  ).map((command) => [command, unavailable(command)]),
) as Omit<Handlers, 'jobs.list' | 'jobs.cancel'>
