import type { JobSpec } from '../jobs'
import type { Library } from '../store/library'
import { runExport } from './run'

/** Runs (or resumes) an export as a job: the journal says which files are still to do. */
export function exportJob(lib: Library, exportId: number): JobSpec {
  let exported: { files: number; skipped: number } | undefined
  return {
    kind: 'export',
    params: { exportId },
    stages: [
      {
        stage: 'export',
        async run(stage) {
          exported = await runExport(lib, exportId, {
            signal: stage.signal,
            onProgress: (done, total) => stage.report(done, total),
          })
        },
      },
    ],
    summary: () => (exported ? { exported } : {}),
  }
}
