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

const PENDING = ['engine.info', 'organize.start', 'organize.resume'] as const

export const pendingHandlers = Object.fromEntries(
  PENDING.map((command) => [command, unavailable(command)]),
) as Pick<Handlers, (typeof PENDING)[number]>
