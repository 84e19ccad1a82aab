import type { CommandArgs, CommandName, CommandResult, EngineEvent } from '../../shared/contract'
import type { Library } from '../store/library'
import type { EventHub } from './events'

/** What every command handler gets: the open library and the engine's event hub. */
export interface EngineContext {
  readonly lib: Library
  readonly events: EventHub<EngineEvent>
  /** Set by engine.close(): long jobs stop, nothing new starts. */
  readonly closing: AbortSignal
  /** Jobs this engine started that have not ended yet (awaited on close). */
  readonly running: Set<Promise<unknown>>
}

export type Handler<C extends CommandName> = (
  ctx: EngineContext,
  args: CommandArgs<C>,
) => CommandResult<C> | Promise<CommandResult<C>>

export type Handlers = { [C in CommandName]: Handler<C> }
export type HandlerGroup<C extends CommandName> = { [K in C]: Handler<K> }
