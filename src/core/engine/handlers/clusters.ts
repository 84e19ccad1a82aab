import { groupRoots, listGroups, listMembers, lookalikeGroups } from '../../clusters'
import { currentRun } from '../../clusters/runs'
import { keepApart, mergeClusters, movePhotos, renameCluster, splitCluster } from '../../edits'
import type { EngineContext, HandlerGroup } from '../context'
import { CommandFailure } from '../errors'
import { announceEdit } from './edits'

function requireGroupOf(ctx: EngineContext, clusterId: number): void {
  const run = currentRun(ctx.lib.db)
  if (!run || !groupRoots(ctx.lib.db, run.id).has(clusterId)) {
    throw new CommandFailure('not-found', `Group ${clusterId} does not exist (any more).`)
  }
}

export const clusterHandlers: HandlerGroup<
  | 'clusters.list'
  | 'clusters.members'
  | 'clusters.rename'
  | 'clusters.merge'
  | 'clusters.split'
  | 'clusters.lookalikes'
  | 'clusters.keepApart'
  | 'photos.move'
> = {
  'clusters.list': (ctx, { sort }) => {
    const { runId, clusters, unsorted } = listGroups(ctx.lib.db, sort)
    return { runId, clusters, unsorted }
  },

  'clusters.members': (ctx, { clusterId, offset, limit }) => {
    if (clusterId !== null) requireGroupOf(ctx, clusterId)
    return listMembers(ctx.lib.db, clusterId, offset, limit)
  },

  'clusters.rename': (ctx, { clusterId, name }) => {
    renameCluster(ctx.lib, clusterId, name)
    announceEdit(ctx)
  },

  'clusters.merge': (ctx, { clusterIds, into }) => {
    mergeClusters(ctx.lib, clusterIds, into)
    announceEdit(ctx)
  },

  'clusters.split': async (ctx, { clusterId, parts }) => {
    const result = await splitCluster(ctx.lib, clusterId, parts)
    announceEdit(ctx)
    return result
  },

  'clusters.lookalikes': (ctx, { clusterId }) => {
    if (clusterId !== undefined) requireGroupOf(ctx, clusterId)
    return lookalikeGroups(ctx.lib.db, clusterId)
  },

  'clusters.keepApart': (ctx, { clusterIds }) => {
    keepApart(ctx.lib, clusterIds)
    ctx.events.emit({ type: 'clusters.changed' })
  },

  'photos.move': (ctx, { photoIds, to }) => {
    movePhotos(ctx.lib, photoIds, to)
    announceEdit(ctx)
  },
}
