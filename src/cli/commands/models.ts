import path from 'node:path'
import type { Command } from 'commander'
import type { ModelStatus } from '../../shared/contract'
import type { JobSummary } from '../../shared/jobs'
import { checkedArgs, withEngine } from '../output/engine'
import { formatBytes } from '../output/format'
import { followJobs } from '../output/jobs'
import { CliError } from '../output/print'
import { runCommand } from '../output/run'

type Installed = NonNullable<JobSummary['installed']>

/** A folder may be given relative to here; the engine takes full paths (or an address). */
function modelSource(from: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(from) ? from : path.resolve(from)
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
          withEngine(options, (engine) =>
            engine.invoke('models.list', { verify: opts.verify === true }),
          ),
        formatList,
      )
    })

  models
    .command('install [model]')
    .description(
      "install a model for your user account, found by all your libraries (default: the default model), checking every file's sha256",
    )
    .option(
      '--from <dir|url>',
      'a folder or http(s) address holding the model (default: KINDRED_MODELS_DIR)',
    )
    .option('--json', 'print one JSON document on stdout')
    .action(async (model: string | undefined, opts: { from?: string }, command: Command) => {
      await runCommand(
        command,
        async (options): Promise<Installed> => {
          const from = opts.from ?? process.env.KINDRED_MODELS_DIR
          if (!from) {
            throw new CliError(
              `Say where to install ${model ?? 'the model'} from: kindred models install --from <folder|url>\n` +
                '  (a folder holding the model folder or its files, or a web address of one)',
            )
          }
          const args = checkedArgs(
            'models.install',
            { from: modelSource(from), ...(model === undefined ? {} : { model }) },
            { from: '--from', model: 'model' },
          )
          return withEngine(options, async (engine) => {
            // Seconds of copying: a bar on a terminal, and nothing in a log but the result.
            const [job] = await followJobs(
              engine,
              options.json,
              async () => [(await engine.invoke('models.install', args)).jobId],
              { linesOffTerminal: false },
            )
            return job!.summary.installed!
          })
        },
        (r) =>
          `Installed ${r.id}: ${r.files} files, ${formatBytes(r.bytes)}, all checksums verified, in ${r.dir} (every library of yours finds it there)`,
      )
    })
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
