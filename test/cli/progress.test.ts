import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { Progress } from '../../src/shared/jobs'
import { createProgressReporter, formatSeconds } from '../../src/cli/output/progress'
import { StageTracker } from '../../src/core/jobs/tracker'

function fakeStream(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number }
  stream.isTTY = isTTY
  stream.columns = 100
  let text = ''
  stream.on('data', (chunk) => (text += chunk))
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text }
}

const progress = (done: number, total: number): Progress => ({
  status: 'progress',
  jobId: 1,
  kind: 'import',
  stage: 'import',
  done,
  total,
  rate: 40,
  etaSeconds: (total - done) / 40,
})

describe('progress reporter', () => {
  it('writes plain lines (throttled, always the last) when not on a terminal', () => {
    const out = fakeStream(false)
    const reporter = createProgressReporter({
      json: false,
      stream: out.stream,
      lineIntervalSeconds: 60,
    })
    reporter.report({ status: 'started', jobId: 1, kind: 'import', stage: 'import', total: 100 })
    for (let done = 1; done <= 100; done++) reporter.report(progress(done, 100))
    reporter.report({
      status: 'stage-done',
      jobId: 1,
      kind: 'import',
      stage: 'import',
      seconds: 2.5,
    })
    expect(out.text().trim().split('\n')).toEqual([
      'import: 100 to do',
      'import: 100/100 (100.0%), 40.0/s, ETA 0.0s',
      'import: done in 2.5s',
    ])
  })

  it('draws a bar with rate and ETA on a terminal', () => {
    const out = fakeStream(true)
    const reporter = createProgressReporter({ json: false, stream: out.stream })
    reporter.report({ status: 'started', jobId: 1, kind: 'import', stage: 'import', total: 80 })
    reporter.report(progress(20, 80))
    reporter.stop()
    expect(out.text()).toMatch(/import \[.*\] 25% \| 20\/80 \| 40\.0\/s \| ETA 1\.5s/)
  })

  it('prints nothing with --json', () => {
    const out = fakeStream(false)
    const reporter = createProgressReporter({ json: true, stream: out.stream })
    reporter.report(progress(1, 2))
    expect(out.text()).toBe('')
  })

  it("says a stage's total with its first count when the stage started without one", () => {
    const out = fakeStream(false)
    const reporter = createProgressReporter({
      json: false,
      stream: out.stream,
      lineIntervalSeconds: 60,
    })
    // The job runner starts every stage with total 0; the core tracker adds rate and ETA.
    let clock = 1000
    const tracker = new StageTracker(7, 'import', 'import', reporter.report, 0, () => clock)
    reporter.report({ status: 'started', jobId: 7, kind: 'import', stage: 'import', total: 0 })
    tracker.report(0, 10)
    clock += 2000
    tracker.report(5, 10)
    clock += 2000
    tracker.report(10, 10)
    reporter.report({ status: 'started', jobId: 7, kind: 'import', stage: 'embed', total: 0 })
    reporter.report({ status: 'stage-done', jobId: 7, kind: 'import', stage: 'embed', seconds: 1 })
    expect(out.text().trim().split('\n')).toEqual([
      'import: 10 to do',
      'import: 10/10 (100.0%), 2.5/s, ETA 0.0s',
      'embed: started',
      'embed: done in 1.0s',
    ])
  })

  it('formats durations', () => {
    expect(formatSeconds(3.21)).toBe('3.2s')
    expect(formatSeconds(75)).toBe('1m15s')
    expect(formatSeconds(7260)).toBe('2h01m')
  })
})
