import { editState, redoEdit, undoEdit } from '../../edits'
import type { EngineContext, HandlerGroup } from '../context'

/** After any edit (or undo/redo): the groups changed, and so did what Undo/Redo would do. */
export function announceEdit(ctx: EngineContext): void {
  ctx.events.emit({ type: 'clusters.changed' })
  ctx.events.emit({ type: 'edits.changed', state: editState(ctx.lib.db) })
}

export const editHandlers: HandlerGroup<'edits.state' | 'edits.undo' | 'edits.redo'> = {
  'edits.state': (ctx) => editState(ctx.lib.db),
  'edits.undo': (ctx) => {
    const state = undoEdit(ctx.lib.db)
    announceEdit(ctx)
    return state
  },
  'edits.redo': (ctx) => {
    const state = redoEdit(ctx.lib.db)
    announceEdit(ctx)
    return state
  },
}
