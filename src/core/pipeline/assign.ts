import type { Library } from '../store/library'
import type { JobSpec } from '../jobs'
import { embedLibrary } from '../ml/embed'
import { addAssignments, currentRun, loadCheckpoint, photosWithoutAssignment } from '../clusters'
import { selectRows } from '../ml/embed/store'
import { usableFeatures } from './features'
import { predictModel, type ModelCheckpoint } from './training'
import { laterOutliers, storedRule } from './unsorted'

/**
 * Puts photos imported after the current run was trained into its groups with the stored model
 * (no retraining). Photos must be embedded first; those that are not stay Unsorted, and so do
 * those that fit no group by the run's calibrated rule (reason 'no-fit').
 */
export async function assignNewPhotos(
  lib: Library,
): Promise<{ assigned: number; unembedded: number }> {
  const run = currentRun(lib.db)
  if (!run) return { assigned: 0, unembedded: 0 }
  const waiting = new Set(photosWithoutAssignment(lib.db, run.id))
  if (waiting.size === 0) return { assigned: 0, unembedded: 0 }
  const checkpoint = loadCheckpoint<ModelCheckpoint>(lib.db, run.id)
  if (!checkpoint) throw new Error(`Run ${run.id} has no stored model to assign new photos with.`)
  const all = usableFeatures(lib.db, run.model)
  const features = selectRows(all, (id) => waiting.has(id))
  if (features.ids.length === 0) return { assigned: 0, unembedded: waiting.size }
  const { probs, k } = await predictModel(checkpoint, features.data, features.ids.length)
  const rule = storedRule(run)
  const outlier = rule ? await laterOutliers(lib.db, run, rule, all, features, probs, k) : undefined
  const assigned = addAssignments(lib.db, run.id, features.ids, probs, k, outlier)
  return { assigned, unembedded: waiting.size - features.ids.length }
}

/**
 * A job that embeds photos imported since the last training and assigns them with the stored
 * model: what runs after an import when groups already exist.
 */
export function assignJob(lib: Library, options: { model?: string } = {}): JobSpec {
  let assigned = 0
  return {
    kind: 'assign',
    params: { model: options.model ?? null },
    stages: [
      {
        stage: 'embed',
        async run(ctx) {
          const run = currentRun(lib.db)
          if (!run) return
          // View 0 is enough to assign; training views are added when the model is retrained.
          await embedLibrary(lib, {
            model: options.model ?? run.model,
            views: 0,
            signal: ctx.signal,
            onProgress: (done, total) => ctx.report(done, total),
          })
        },
      },
      {
        stage: 'assign',
        async run(ctx) {
          assigned = (await assignNewPhotos(lib)).assigned
          ctx.report(assigned, assigned)
        },
      },
    ],
    summary: () => ({ assigned }),
  }
}
