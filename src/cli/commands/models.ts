import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import {
  candidateDirs,
  librarySearch,
  DEFAULT_MODEL,
  hasAllFiles,
  installModel,
  MODELS,
  requireModel,
  verifyModelDir,
} from '../../core/ml/models'
import { defaultUserModelsDir } from '../../core/store/library'
import { formatBytes } from '../output/format'
import { withLibrary } from '../output/library'
import { CliError } from '../output/print'
import { runCommand } from '../output/run'

interface ModelStatus {
  id: string
  title: string
  dim: number
  bytes: number
  installed: boolean
  source: string | null
  dir: string | null
  verified?: boolean
  problems?: string[]
}

export function register(program: Command): void {
  const models = program.command('models').description('list and install the neural-network models')

  models
    .command('list')
    .description('show each known model and where it is installed')
    .option('--verify', 'check the sha256 of every installed file')
    .option('--library <dir>', 'library folder')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { verify?: boolean }, command: Command) => {
      await runCommand(
        command,
        (options) =>
          withLibrary(options, async (lib) => {
            const list: ModelStatus[] = []
            for (const entry of MODELS) {
              const found = candidateDirs(entry.id, librarySearch(lib)).find((c) =>
                hasAllFiles(c.dir, entry),
              )
              const status: ModelStatus = {
                id: entry.id,
                title: entry.title,
                dim: entry.dim,
                bytes: entry.bytes,
                installed: found !== undefined,
                source: found?.source ?? null,
                dir: found?.dir ?? null,
              }
              if (opts.verify && found) {
                const problems = await verifyModelDir(found.dir, entry)
                status.verified = problems.length === 0
                status.problems = problems.map((p) => `${p.file}: ${p.problem}`)
              }
              list.push(status)
            }
            return list
          }),
        formatList,
      )
    })

  models
    .command('install [model]')
    .description(
      `install a model for your user account, found by all your libraries (default ${DEFAULT_MODEL}), checking every file's sha256`,
    )
    .option(
      '--from <dir|url>',
      'a folder or http(s) address holding the model (default: KINDRED_MODELS_DIR)',
    )
    .option('--json', 'print one JSON document on stdout')
    .action(async (model: string | undefined, opts: { from?: string }, command: Command) => {
      await runCommand(
        command,
        async (options) => {
          const id = model ?? DEFAULT_MODEL
          const entry = requireModel(id)
          const from = opts.from ?? process.env.KINDRED_MODELS_DIR
          if (!from) {
            throw new CliError(
              `Say where to install ${id} from: kindred models install --from <folder|url>\n` +
                '  (a folder holding the model folder or its files, or a web address of one)',
            )
          }
          const bar = options.json || !process.stderr.isTTY ? undefined : startBar(entry.bytes)
          try {
            return await installModel(id, {
              from,
              modelsDir: defaultUserModelsDir(),
              onProgress: (bytes) => bar?.update(bytes),
            })
          } finally {
            bar?.stop()
          }
        },
        (r) =>
          `Installed ${r.id}: ${r.files} files, ${formatBytes(r.bytes)}, all checksums verified, in ${r.dir} (every library of yours finds it there)`,
      )
    })
}

function startBar(total: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'model [{bar}] {percentage}% | {value}/{total} bytes | ETA {eta}s',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(total, 0)
  return bar
}

function formatList(list: ModelStatus[]): string {
  return list
    .map((m) => {
      const where = m.installed
        ? `installed (${m.source}) in ${m.dir}`
        : 'not installed: kindred models install --from <folder|url>'
      const check =
        m.verified === undefined
          ? ''
          : m.verified
            ? '\n  checksums: all match'
            : `\n  checksums: ${m.problems?.join(', ')}`
      return `${m.id}  ${m.title}\n  ${m.dim}-d features, ${formatBytes(m.bytes)}; ${where}${check}`
    })
    .join('\n')
}
