/**
 * What the main process does with an `invoke` from a renderer, without Electron: validate the
 * command and its arguments against the contract's schemas, forward it, and answer with an
 * envelope (Errors lose their fields crossing IPC, so failures travel as data).
 */
import type { CommandError, CommandName } from '../shared/contract'
import { toCommandError } from '../core/engine/errors'
import type { EngineHandle } from '../core/engine/handle'
import { parseCommand } from '../core/engine/schemas'

export type InvokeEnvelope = { ok: true; result: unknown } | { ok: false; error: CommandError }

export async function handleInvoke(
  engine: EngineHandle,
  command: unknown,
  args: unknown,
): Promise<InvokeEnvelope> {
  try {
    const parsed = parseCommand(command, args)
    const result = await engine.invoke(command as CommandName, parsed as never)
    return { ok: true, result }
  } catch (error) {
    return { ok: false, error: toCommandError(error) }
  }
}
