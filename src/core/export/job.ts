import type { JobSpec } from '../jobs'
import type { Library } from '../store/library'
import { runExport } from './run'

/** Runs (or resumes) an export as a job: the journal says which files are still to do. */
export function exportJob(lib: Library, exportId: number): JobSpec {
  return {
    kind: 'export',
    params: { exportId },
    stages: [
      {
        stage: 'export',
        async run(stage) {
          await runExport(lib, exportId, {
            signal: stage.signal,
            onProgress: (done, total) => stage.report(done, total),
          })
        },
      },
    ],
  }
}
