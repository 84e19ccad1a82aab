// Markdown tables of a sweep: per scenario (mean ± spread over seeds, worst) and a summary per
// set, mode and stage (mean and worst over every library).
import { mean, METRICS, spread, worst, type Metric, type RunScore, type Stage } from './scoring'

const STAGES: Stage[] = ['kmeans', 'scan', 'selflabel', 'final']
const LABEL: Record<Stage, string> = {
  kmeans: 'k-means',
  scan: 'SCAN',
  selflabel: 'self-label',
  final: 'final',
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    out.set(k, [...(out.get(k) ?? []), item])
  }
  return out
}

const digits = (metric: Metric) => (metric === 'fix' ? 1 : 3)
const fmt = (metric: Metric, v: number) => v.toFixed(digits(metric))

function cell(metric: Metric, rows: RunScore[], withSpread: boolean): string {
  const values = rows.map((r) => r[metric])
  const sd = withSpread ? ` ±${fmt(metric, spread(values))}` : ''
  return `${fmt(metric, mean(values))}${sd} (${fmt(metric, worst(metric, values))})`
}

function groupsCell(rows: RunScore[]): string {
  const diff = rows.map((r) => r.groups - r.k)
  return `${mean(diff) >= 0 ? '+' : ''}${mean(diff).toFixed(1)} [${Math.min(...diff)}, ${Math.max(...diff)}]`
}

const HEADER =
  '| ACC | NMI | ARI | purity | fix /100 | groups − K |\n' + '|---|---|---|---|---|---|'

function ordered(rows: RunScore[]): RunScore[] {
  return [...rows].sort(
    (a, b) =>
      a.set.localeCompare(b.set) ||
      a.mode.localeCompare(b.mode) ||
      a.scenario.localeCompare(b.scenario) ||
      STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage),
  )
}

/** Per scenario: mean ±spread over seeds (worst seed). */
export function scenarioTable(scores: RunScore[]): string {
  const lines = [
    '| set | mode | scenario | stage | n | ' + HEADER.split('\n')[0]!.slice(2),
    '|---|---|---|---|---|' + HEADER.split('\n')[1]!.slice(1),
  ]
  for (const rows of groupBy(
    ordered(scores),
    (r) => `${r.set}|${r.mode}|${r.scenario}|${r.stage}`,
  ).values()) {
    const r0 = rows[0]!
    const n = `${Math.min(...rows.map((r) => r.n))}–${Math.max(...rows.map((r) => r.n))}`
    const cells = METRICS.map((m) => cell(m, rows, true))
    lines.push(
      `| ${r0.set} | ${r0.mode} | ${r0.scenario} | ${LABEL[r0.stage]} | ${n} | ${cells.join(' | ')} | ${groupsCell(rows)} |`,
    )
  }
  return lines.join('\n')
}

/** Per set, mode and stage over every library: mean (worst). */
export function summaryTable(scores: RunScore[]): string {
  const lines = [
    '| set | mode | stage | libraries | ' + HEADER.split('\n')[0]!.slice(2),
    '|---|---|---|---|' + HEADER.split('\n')[1]!.slice(1),
  ]
  const bySet = groupBy(ordered(scores), (r) => `${r.set}|${r.mode}|${r.stage}`)
  const all = groupBy(ordered(scores), (r) => `all|${r.mode}|${r.stage}`)
  for (const [key, rows] of [...bySet, ...all]) {
    const [set, mode] = key.split('|')
    const cells = METRICS.map((m) => cell(m, rows, false))
    lines.push(
      `| ${set} | ${mode} | ${LABEL[rows[0]!.stage]} | ${rows.length} | ${cells.join(' | ')} | ${groupsCell(rows)} |`,
    )
  }
  return lines.join('\n')
}

/** `stage` minus SCAN ACC per library: how often, and how much, the stage lowered ACC. */
export function stageDelta(scores: RunScore[], stage: Stage = 'final'): string {
  const key = (r: RunScore) => `${r.set}|${r.scenario}|${r.seed}|${r.mode}`
  const scan = new Map(scores.filter((r) => r.stage === 'scan').map((r) => [key(r), r]))
  const deltas = scores
    .filter((r) => r.stage === stage && scan.has(key(r)))
    .map((r) => r.acc - scan.get(key(r))!.acc)
  if (deltas.length === 0) return ''
  const lower = deltas.filter((d) => d < -0.005).length
  return `${LABEL[stage]} − SCAN ACC: mean ${mean(deltas) >= 0 ? '+' : ''}${mean(deltas).toFixed(3)}, worst ${Math.min(...deltas).toFixed(3)}, lower by > .005 on ${lower} of ${deltas.length} runs`
}
