/**
 * How every host answers a command from a page: validate the command and its arguments against
 * the contract's schemas, forward it to the engine, and answer with a WireResponse. Errors lose
 * their fields crossing IPC or HTTP, so failures travel as data.
 */
import type { CommandName, WireResponse } from '../shared/contract'
import { toCommandError } from '../core/engine/errors'
import type { EngineHandle } from '../core/engine/handle'
import { parseCommand } from '../core/engine/schemas'

export async function invokeCommand(
  engine: EngineHandle,
  command: unknown,
  args: unknown,
): Promise<WireResponse> {
  try {
    const parsed = parseCommand(command, args)
    const result = await engine.invoke(command as CommandName, parsed as never)
    return { ok: true, result } as WireResponse
  } catch (error) {
    return { ok: false, error: toCommandError(error) }
  }
}
