import path from 'node:path'
import { Option, type Command } from 'commander'
import type { ExportMode, ExportPlan } from '../../shared/contract'
import { createExport, planExport, runExport } from '../../core/export'
import { acquireJobLock } from '../../core/jobs/lock'
import { formatBytes } from '../output/format'
import { withLibrary } from '../output/library'
import type { GlobalOptions } from '../output/options'
import { createProgressReporter } from '../output/progress'
import { runCommand } from '../output/run'
import { onStopSignal } from '../output/signals'
import { trackStages } from '../output/stages'

interface ExportCliOptions {
  mode: ExportMode
  unsorted?: boolean
  folderPattern?: string
  dryRun?: boolean
}

type ExportOutput = ExportPlan & { exportId: number | null; written: number; skipped: number }

export function register(program: Command): void {
  program
    .command('export')
    .description('write the groups to one folder each (copy, link or move); nothing is overwritten')
    .argument('<destination>', 'folder to export into')
    .addOption(
      new Option('--mode <mode>', 'how files get there')
        .choices(['copy', 'hardlink', 'symlink', 'move'])
        .default('copy'),
    )
    .option('--unsorted', 'also export the photos in no group, to "Unsorted"')
    .option(
      '--folder-pattern <pattern>',
      'folder names from {group}, {year}, {month} and {day}, e.g. "{year}-{month} {group}"',
    )
    .option('--dry-run', 'only show which folders and how many files it would write')
    .action(async (destination: string, opts: ExportCliOptions, command: Command) => {
      await runCommand(command, (global) => exportCommand(destination, opts, global), formatExport)
    })
}

async function exportCommand(
  destination: string,
  opts: ExportCliOptions,
  global: GlobalOptions,
): Promise<ExportOutput> {
  const options = {
    // On the command line a relative folder means one under the current folder.
    destination: path.resolve(destination),
    mode: opts.mode,
    includeUnsorted: opts.unsorted === true,
    ...(opts.folderPattern === undefined ? {} : { folderPattern: opts.folderPattern }),
  }
  return withLibrary(global, async (lib) => {
    if (opts.dryRun)
      return { ...planExport(lib, options).summary, exportId: null, written: 0, skipped: 0 }
    const release = acquireJobLock(lib.dir)
    const reporter = createProgressReporter({ json: global.json })
    const stages = trackStages('export', reporter.report)
    const controller = new AbortController()
    const stopListening = onStopSignal(() => controller.abort())
    try {
      const { exportId, plan } = await createExport(lib, options)
      const { files, skipped } = await runExport(lib, exportId, {
        signal: controller.signal,
        onProgress: (done, total) => stages.update('export', done, total),
      })
      stages.finish()
      return { ...plan, exportId, written: files, skipped }
    } finally {
      reporter.stop()
      stopListening()
      release()
    }
  })
}

function formatExport(out: ExportOutput): string {
  const lines = [
    out.exportId === null
      ? `Would write ${out.files} files (${formatBytes(out.bytes)}) into ${out.folders.length} folders in ${out.destination}:`
      : `Wrote ${out.written} files (${formatBytes(out.bytes)}) into ${out.folders.length} folders in ${out.destination} (export ${out.exportId}):`,
  ]
  for (const f of out.folders) lines.push(`  ${f.name}: ${f.files}`)
  if (out.renamed > 0) lines.push(`${out.renamed} files get a new name because the name is taken.`)
  if (out.skipped > 0) lines.push(`${out.skipped} photos had vanished and were skipped.`)
  return lines.join('\n')
}
