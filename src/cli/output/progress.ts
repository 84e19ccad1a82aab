import cliProgress from 'cli-progress'
import type { Progress, ProgressCallback, Stage } from '../../shared/jobs'

/** Shows `Progress` events: a bar on a terminal, plain lines otherwise, nothing with --json. */
export interface ProgressReporter {
  readonly report: ProgressCallback
  stop(): void
}

export interface ReporterOptions {
  json: boolean
  /** Progress goes to stderr so that stdout carries only the result. */
  stream?: NodeJS.WriteStream
  /** Least seconds between two plain lines. */
  lineIntervalSeconds?: number
}

export function createProgressReporter(options: ReporterOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr
  if (options.json) return { report: () => {}, stop: () => {} }
  if (stream.isTTY) return barReporter(stream)
  return lineReporter(stream, options.lineIntervalSeconds ?? 2)
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{stage} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {etaText}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  )
  let active = false
  const stopBar = () => {
    if (active) bar.stop()
    active = false
  }
  const report = (progress: Progress) => {
    switch (progress.status) {
      case 'started':
        stopBar()
        bar.start(progress.total, 0, { stage: progress.stage, rate: '0.0', etaText: '?' })
        active = true
        break
      case 'progress':
        if (!active) {
          bar.start(progress.total, 0, { stage: progress.stage, rate: '0.0', etaText: '?' })
          active = true
        }
        bar.setTotal(progress.total)
        bar.update(progress.done, {
          stage: progress.stage,
          rate: progress.rate.toFixed(1),
          etaText: progress.etaSeconds === null ? '?' : formatSeconds(progress.etaSeconds),
        })
        break
      case 'stage-done':
      case 'done':
      case 'cancelled':
        stopBar()
        break
      case 'failed':
        stopBar()
        break
    }
  }
  return { report, stop: stopBar }
}

function lineReporter(stream: NodeJS.WriteStream, intervalSeconds: number): ProgressReporter {
  let lastLineAt = 0
  // A stage that starts without its total says how much it has to do with its first count.
  let unannounced: Stage | null = null
  const write = (line: string) => stream.write(`${line}\n`)
  const announce = (stage: Stage, total: number) => {
    write(total > 0 ? `${stage}: ${total} to do` : `${stage}: started`)
    unannounced = null
    lastLineAt = Date.now()
  }
  const report = (progress: Progress) => {
    switch (progress.status) {
      case 'started':
        if (progress.total > 0) announce(progress.stage, progress.total)
        else unannounced = progress.stage
        break
      case 'progress': {
        if (unannounced === progress.stage) announce(progress.stage, progress.total)
        const now = Date.now()
        const finished = progress.done >= progress.total
        if (!finished && now - lastLineAt < intervalSeconds * 1000) return
        lastLineAt = now
        write(progressLine(progress))
        break
      }
      case 'stage-done':
        if (unannounced === progress.stage) announce(progress.stage, 0)
        write(`${progress.stage}: done in ${formatSeconds(progress.seconds)}`)
        break
      case 'done':
        write(`${progress.kind}: finished in ${formatSeconds(progress.seconds)}`)
        break
      case 'failed':
        // The reason follows once, as the command's error on stderr.
        write(`${progress.kind}: failed`)
        break
      case 'cancelled':
        write(`${progress.kind}: cancelled`)
        break
    }
  }
  return { report, stop: () => {} }
}

function progressLine(progress: Extract<Progress, { status: 'progress' }>): string {
  const percent = progress.total > 0 ? ((100 * progress.done) / progress.total).toFixed(1) : '100.0'
  const eta = progress.etaSeconds === null ? '?' : formatSeconds(progress.etaSeconds)
  const loss = progress.loss === undefined ? '' : `, loss ${progress.loss.toFixed(4)}`
  return `${progress.stage}: ${progress.done}/${progress.total} (${percent}%), ${progress.rate.toFixed(1)}/s, ETA ${eta}${loss}`
}
