import { findDuplicateSets } from '../../duplicates'
import { keepOneHideRest, showPhotos } from '../../edits'
import type { HandlerGroup } from '../context'
import { announceEdit } from './edits'

export const duplicateHandlers: HandlerGroup<
  'duplicates.find' | 'duplicates.keep' | 'photos.show'
> = {
  'duplicates.find': (ctx, { threshold }) => findDuplicateSets(ctx.lib, threshold),

  'duplicates.keep': (ctx, { keep, hide }) => {
    keepOneHideRest(ctx.lib, keep, hide)
    announceEdit(ctx)
  },

  'photos.show': (ctx, { photoIds }) => {
    showPhotos(ctx.lib, photoIds)
    announceEdit(ctx)
  },
}
