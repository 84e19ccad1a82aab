import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { EmbedderInfo } from '../../shared/contract'
import type { ProgressCallback } from '../../shared/jobs'
import { openLibrary, type Library } from '../store/library'
import { kmeans } from '../ml/kmeans'
import { scoreGrouping, type GroupingScore } from '../ml/metrics'
import { startOrganize } from './organize'
import { organizeParams } from './params'
import { argmaxRows } from '../ml/rows'
import { predictModel, type ModelCheckpoint } from './training'
import type { FeatureMatrix } from './features'
import { usableFeatures } from './features'

/** The `kindred eval --json` document: exactly these keys. */
export interface EvalReport {
  n: number
  k: number
  backend: string
  embedder: EmbedderInfo | null
  model: string
  seconds: { import: number; embed: number; neighbours: number; scan: number; selflabel: number }
  kmeans: GroupingScore
  scan: GroupingScore
  selflabel: GroupingScore
}

export interface EvalOptions {
  /** Groups to find; default: the number of classes. */
  clusters?: number | 'auto'
  seed?: number
  signal?: AbortSignal
  onProgress?: ProgressCallback
  /** Where the temporary library goes (default: the OS temp folder); it is removed afterwards. */
  tempRoot?: string
}

/** The class sub-folders of a labelled folder, sorted; refuses a folder without at least two. */
export function classFolders(folder: string): string[] {
  const root = path.resolve(folder)
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new Error(`${root} is not a folder.`)
  }
  const classes = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
  if (classes.length < 2) {
    throw new Error(
      `${root} needs one sub-folder per class (at least two) to evaluate against; it has ${classes.length}.`,
    )
  }
  return classes
}

/** Each photo's class: the index of the first folder under `root` on its path (-1 outside them). */
export function labelsOf(
  lib: Library,
  root: string,
  classes: string[],
  ids: readonly number[],
): number[] {
  const classIndex = new Map(classes.map((c, i) => [c, i]))
  const pathOf = lib.db.prepare(`SELECT path FROM photos WHERE id = ?`).pluck()
  return ids.map((id) => {
    const relative = path.relative(root, pathOf.get(id) as string)
    const first = relative.split(path.sep)[0]!
    return relative.includes(path.sep) ? (classIndex.get(first) ?? -1) : -1
  })
}

function scoreLabelled(truth: number[], pred: ArrayLike<number>): GroupingScore {
  const keep = truth.flatMap((t, i) => (t >= 0 ? [i] : []))
  return scoreGrouping(
    keep.map((i) => truth[i]!),
    keep.map((i) => pred[i]!),
  )
}

async function predictLabels(
  checkpoint: ModelCheckpoint,
  features: FeatureMatrix,
): Promise<{ labels: Int32Array; k: number }> {
  const { probs, k } = await predictModel(checkpoint, features.data, features.ids.length)
  return { labels: argmaxRows(probs, features.ids.length, k), k }
}

/**
 * Runs the whole organize pipeline on a labelled folder in a temporary library and scores
 * k-means (on the same features), SCAN and SCAN + self-label against the sub-folder labels,
 * which are used for nothing else.
 */
export async function evaluateFolder(
  folder: string,
  options: EvalOptions = {},
): Promise<EvalReport> {
  const root = path.resolve(folder)
  const classes = classFolders(root)
  const clusters = options.clusters ?? classes.length
  const tempDir = fs.mkdtempSync(path.join(options.tempRoot ?? os.tmpdir(), 'kindred-eval-'))
  const lib = openLibrary(tempDir)
  try {
    const params = organizeParams({ folders: [root], clusters, seed: options.seed ?? 0 })
    const trained: Partial<Record<'scan' | 'selflabel', ModelCheckpoint>> = {}
    const job = startOrganize(lib, params, {
      signal: options.signal,
      onProgress: options.onProgress,
      hooks: { onTrained: (stage, checkpoint) => (trained[stage] = checkpoint) },
    })
    const result = await job.result
    const features = usableFeatures(lib.db, params.model)
    const truth = labelsOf(lib, root, classes, features.ids)
    if (!trained.scan || !trained.selflabel)
      throw new Error('Training did not produce both models.')
    const scan = await predictLabels(trained.scan, features)
    const selflabel = await predictLabels(trained.selflabel, features)
    const k = selflabel.k
    const kmeansLabels = (
      await kmeans(features.data, features.ids.length, features.dim, k, params.seed)
    ).labels
    const s = result.seconds
    return {
      n: features.ids.length,
      k,
      backend: result.backend,
      embedder: result.embedder,
      model: params.model,
      seconds: {
        import: s.import ?? 0,
        embed: s.embed ?? 0,
        neighbours: s.neighbours ?? 0,
        scan: s.scan ?? 0,
        selflabel: s.selflabel ?? 0,
      },
      kmeans: scoreLabelled(truth, kmeansLabels),
      scan: scoreLabelled(truth, scan.labels),
      selflabel: scoreLabelled(truth, selflabel.labels),
    }
  } finally {
    lib.close()
    fs.rmSync(tempDir, { recursive: true, force: true })
  }
}
