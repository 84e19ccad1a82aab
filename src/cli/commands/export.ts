import path from 'node:path'
import type { Command } from 'commander'
import type { ExportPlan } from '../../shared/contract'
import { checkedArgs, withEngine } from '../output/engine'
import { formatBytes } from '../output/format'
import { followJobs, JobsCancelled } from '../output/jobs'
import type { GlobalOptions } from '../output/options'
import { CliError } from '../output/print'
import { runCommand } from '../output/run'

interface ExportCliOptions {
  mode: string
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
    .option('--mode <mode>', 'how files get there: copy, hardlink, symlink or move', 'copy')
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
  const options = checkedArgs(
    'export.start',
    {
      // On the command line a relative folder means one under the current folder.
      destination: path.resolve(destination),
      mode: opts.mode,
      includeUnsorted: opts.unsorted === true,
      ...(opts.folderPattern === undefined ? {} : { folderPattern: opts.folderPattern }),
    },
    { mode: '--mode', folderPattern: '--folder-pattern' },
  )
  return withEngine(
    global,
    async (engine) => {
      const plan = await engine.invoke('export.plan', options)
      if (opts.dryRun) return { ...plan, exportId: null, written: 0, skipped: 0 }
      let exportId = 0
      try {
        const [job] = await followJobs(engine, global.json, async () => {
          const started = await engine.invoke('export.start', options)
          exportId = started.exportId
          return [started.jobId]
        })
        const { files, skipped } = job!.summary.exported!
        return { ...plan, exportId, written: files, skipped }
      } catch (error) {
        if (!(error instanceof JobsCancelled)) throw error
        throw new CliError(`Export ${exportId} cancelled; it can be resumed or undone in the app.`)
      }
    },
    { existing: true },
  )
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
