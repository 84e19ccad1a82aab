import { importFolders, type ImportSummary } from '../../ingest'
import type { JobSpec, StageContext } from '../../jobs'
import type { Library } from '../../store/library'

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
  let running: Promise<unknown> | null = null
  const stages: { 'scan-folders'?: StageContext; import?: StageContext } = {}
  let reading!: () => void
  const startedReading = new Promise<void>((resolve) => (reading = resolve))
  const start = (ctx: StageContext): Promise<unknown> =>
    (running ??= importFolders(lib, folders, {
      signal: ctx.signal,
      onProgress: (stage, done, total) => {
        if (stage === 'import') reading()
        if (stage === 'scan-folders' || stage === 'import') stages[stage]?.report(done, total)
      },
    }).then((summary) => {
      onSummary?.(summary)
      return summary
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
          await start(ctx)
        },
      },
    ],
  }
}
