import type { ImportSummary } from '../../shared/jobs'
import type { JobSpec, StageContext } from '../jobs'
import type { Library } from '../store/library'
import { importFolders } from './index'

/**
 * Importing folders as a job with two stages, so the UI shows scanning and reading
 * separately: importFolders does both in one call, so the `scan-folders` stage starts it and
 * ends when it begins reading; the `import` stage waits for it to finish. Re-running it after
 * a crash is safe (an import skips what it already has). `onSummary` hears what the import did.
 */
export function importJob(
  lib: Library,
  folders: string[],
  onSummary?: (summary: ImportSummary) => void,
): JobSpec {
  let running: Promise<ImportSummary> | null = null
  let summary: ImportSummary | undefined
  const stages: { 'scan-folders'?: StageContext; import?: StageContext } = {}
  /** The latest count of photos read, told to the `import` stage once it starts. */
  let read: [done: number, total: number] | null = null
  let reading!: () => void
  const startedReading = new Promise<void>((resolve) => (reading = resolve))
  const start = (ctx: StageContext): Promise<ImportSummary> =>
    (running ??= importFolders(lib, folders, {
      signal: ctx.signal,
      onProgress: (stage, done, total) => {
        if (stage === 'import') {
          read = [done, total]
          reading()
        }
        if (stage === 'scan-folders' || stage === 'import') stages[stage]?.report(done, total)
      },
    }).then((result) => {
      summary = result
      onSummary?.(result)
      return result
    }))
  return {
    kind: 'import',
    params: { folders },
    stages: [
      {
        stage: 'scan-folders',
        async run(ctx) {
          stages['scan-folders'] = ctx
          await Promise.race([startedReading, start(ctx)])
        },
      },
      {
        stage: 'import',
        async run(ctx) {
          stages.import = ctx
          if (read) ctx.report(...read)
          await start(ctx)
        },
      },
    ],
    summary: () => (summary ? { imported: summary } : {}),
  }
}
