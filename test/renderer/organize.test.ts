// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/svelte'
import { describe, expect, test } from 'vitest'
import type { JobInfo, Progress } from '../../src/shared/jobs'
import { renderApp, settle } from './render-app'
import { formatDuration } from '../../src/renderer/src/lib/format'

describe('Organize and Library screens', () => {
  test('organize shows the backend, starts with a number of groups, and plots live progress', async () => {
    const { api } = await renderApp()
    await fireEvent.click(screen.getByRole('button', { name: 'Organize' }))
    expect(screen.getByTestId('engine-info').textContent).toContain('cpu')
    // Which runtime, provider and device describe the photos, and what would be faster.
    expect(screen.getByTestId('engine-info').textContent).toMatch(
      /Describing photos on\s+ONNX Runtime\s+cpu\s+\(test CPU, 2 threads\)/,
    )
    expect(screen.getByTestId('engine-notice').textContent).toContain('@tensorflow/tfjs-node')
    await fireEvent.click(screen.getByRole('radio', { name: /Exactly/ }))
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Number of groups' }), {
      target: { value: '7' },
    })
    await fireEvent.click(screen.getByRole('button', { name: /^Organize \d+ photos again/ }))
    await settle()
    expect(api.callsOf('organize.start')).toEqual([{ clusters: 7 }])

    const send = (progress: Progress) => api.emit({ type: 'progress', progress })
    const jobId = 1
    const kind = 'organize'
    send({ status: 'started', jobId, kind, stage: 'embed', total: 15 })
    send({ status: 'stage-done', jobId, kind, stage: 'embed', seconds: 3 })
    for (let epoch = 0; epoch < 5; epoch++) {
      const base = { status: 'progress', jobId, kind, stage: 'scan', total: 5, rate: 2 } as const
      send({ ...base, done: epoch + 1, etaSeconds: 4 - epoch, loss: 2 - epoch * 0.3, epoch })
    }
    await settle()
    const panel = screen.getByRole('region', { name: 'Organize progress' })
    expect(panel.querySelector('[data-stage="embed"]')?.textContent).toContain('done in 3 s')
    expect(panel.querySelector('[data-stage="scan"]')?.textContent).toContain('5 of 5')
    const line = panel.querySelector('polyline[data-stage="scan"]')
    expect(line?.getAttribute('points')?.split(' ')).toHaveLength(5)
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy()

    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(api.callsOf('jobs.cancel')).toEqual([{ jobId }])
    send({ status: 'cancelled', jobId, kind })
    await settle()
    expect(within(panel).getByRole('heading', { name: 'Cancelled' })).toBeTruthy()
  })

  test('when organizing is done, says how many photos it learnt from if burst shots went with their burst', async () => {
    const { api } = await renderApp()
    await fireEvent.click(screen.getByRole('button', { name: 'Organize' }))
    await fireEvent.click(screen.getByRole('button', { name: /^Organize \d+ photos again/ }))
    await settle()
    const kind = 'organize'
    const learnt = /Learnt from 35 photos; 12 more were shots\s+of a burst and went with it\./
    const done = (jobId: number, leftInBursts: number) =>
      api.emit({
        type: 'progress',
        progress: {
          status: 'done',
          jobId,
          kind,
          seconds: 9,
          summary: { runId: jobId, learnt: { photos: 35, leftInBursts } },
        },
      })
    api.emit({
      type: 'progress',
      progress: { status: 'started', jobId: 1, kind, stage: 'scan', total: 5 },
    })
    done(1, 0)
    await settle()
    const panel = screen.getByRole('region', { name: 'Organize progress' })
    expect(within(panel).getByRole('heading', { name: /^Done/ })).toBeTruthy()
    expect(panel.textContent).not.toMatch(/Learnt from/)
    api.emit({
      type: 'progress',
      progress: { status: 'started', jobId: 2, kind, stage: 'scan', total: 5 },
    })
    done(2, 12)
    await settle()
    expect(screen.getByRole('region', { name: 'Organize progress' }).textContent).toMatch(learnt)
  })

  test('a typed folder path is added and its import progress shows rate and time left', async () => {
    const { api } = await renderApp()
    await fireEvent.click(screen.getByRole('button', { name: 'Library' }))
    await fireEvent.input(screen.getByRole('textbox', { name: 'Add a photo folder' }), {
      target: { value: '/home/me/Pictures' },
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }))
    await settle()
    expect(api.callsOf('library.addFolder')).toEqual([{ path: '/home/me/Pictures' }])
    api.emit({
      type: 'progress',
      progress: {
        status: 'progress',
        jobId: 1,
        kind: 'import',
        stage: 'import',
        done: 40,
        total: 100,
        rate: 12.5,
        etaSeconds: 5,
      },
    })
    await settle()
    const panel = screen.getByRole('region', { name: 'Import progress' })
    expect(panel.textContent).toContain('40 of 100')
    expect(panel.textContent).toContain('13 photos/s')
    expect(panel.textContent).toContain('5 s left')
  })

  test('a run finished elsewhere offers its groups first and says why there is no curve', async () => {
    const { panel } = await organizeScreenWith({ id: 3, state: 'done' })
    const see = within(panel).getByRole('button', { name: /^See the \d+ groups$/ })
    const plotHeading = within(panel).getByRole('heading', { name: 'Training loss' })
    expect(see.compareDocumentPosition(plotHeading) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(panel.textContent).toContain('No loss curve to show')
    expect(panel.textContent).not.toContain('appears here once training starts')
  })

  test('a run finished before the window opened says how long it took and what it learnt from', async () => {
    const { panel } = await organizeScreenWith({
      id: 5,
      state: 'done',
      summary: { runId: 2, learnt: { photos: 35, leftInBursts: 12 } },
      seconds: 75,
    })
    expect(within(panel).getByRole('heading', { name: /^Done in / }).textContent).toBe(
      `Done in ${formatDuration(75)}`,
    )
    expect(panel.textContent).toMatch(
      /Learnt from 35 photos; 12 more were shots\s+of a burst and went with it\./,
    )
  })

  test('a folder that cannot be added is said in the form, and typing clears it', async () => {
    const { api } = await renderApp()
    api.failures.set('library.addFolder', 'Folder not found: /home/me/Pictuers')
    await fireEvent.click(screen.getByRole('button', { name: 'Library' }))
    const field = screen.getByRole('textbox', { name: 'Add a photo folder' })
    await fireEvent.input(field, { target: { value: '/home/me/Pictuers' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }))
    await settle()
    const error = screen.getByRole('alert')
    expect(error.textContent).toBe(
      'Could not add /home/me/Pictuers: Folder not found: /home/me/Pictuers',
    )
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(field.getAttribute('aria-describedby')).toBe(error.id)
    await fireEvent.input(field, { target: { value: '/home/me/Pictures' } })
    expect(screen.queryByRole('alert')).toBeNull()
  })

  test('the last import also shows the photos being described and sorted into groups', async () => {
    const { api } = await renderApp()
    await fireEvent.click(screen.getByRole('button', { name: 'Library' }))
    await fireEvent.input(screen.getByRole('textbox', { name: 'Add a photo folder' }), {
      target: { value: '/home/me/Pictures' },
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }))
    await settle()
    const send = (progress: Progress) => api.emit({ type: 'progress', progress })
    send({ status: 'stage-done', jobId: 1, kind: 'import', stage: 'scan-folders', seconds: 1 })
    send({ status: 'stage-done', jobId: 1, kind: 'import', stage: 'import', seconds: 2 })
    send({ status: 'done', jobId: 1, kind: 'import', seconds: 3 })
    send({ status: 'started', jobId: 2, kind: 'assign', stage: 'embed', total: 10 })
    await settle()
    const panel = screen.getByRole('region', { name: 'Import progress' })
    expect(within(panel).getByRole('heading', { name: 'Importing' })).toBeTruthy()
    expect(panel.textContent).toContain('Describing photos')
    send({ status: 'stage-done', jobId: 2, kind: 'assign', stage: 'embed', seconds: 2 })
    send({ status: 'stage-done', jobId: 2, kind: 'assign', stage: 'assign', seconds: 1 })
    send({ status: 'done', jobId: 2, kind: 'assign', seconds: 3 })
    await settle()
    expect(within(panel).getByRole('heading', { name: 'Last import' })).toBeTruthy()
    const stages = [...panel.querySelectorAll('[data-stage]')].map((e) =>
      e.getAttribute('data-stage'),
    )
    expect(stages).toEqual(['scan-folders', 'import', 'embed', 'assign'])
  })

  test('an interrupted organize job can be resumed', async () => {
    const { api, panel } = await organizeScreenWith({
      id: 7,
      state: 'failed',
      stage: 'scan',
      done: 3,
      error: 'The computer went to sleep.',
    })
    expect(within(panel).getByRole('heading', { name: 'Stopped' })).toBeTruthy()
    expect(within(panel).getByText('The computer went to sleep.')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Resume where it stopped' }))
    await settle()
    expect(api.callsOf('organize.resume')).toEqual([{}])
    // The resumed job is now the one shown, waiting for its first progress.
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy()
  })

  test('organizing again asks first when there are edits to undo, and Undo is off once it is done', async () => {
    const { api } = await renderApp()
    await api.invoke('clusters.rename', { clusterId: 1, name: 'Cats' })
    await settle()
    const undo = () => screen.getByRole('button', { name: /^↶ Undo/ }) as HTMLButtonElement
    expect(undo().disabled).toBe(false)

    await fireEvent.click(screen.getByRole('button', { name: 'Organize' }))
    const again = screen.getByRole('button', { name: /^Organize \d+ photos again/ })
    await fireEvent.click(again)
    const ask = screen.getByRole('alertdialog', { name: 'Organize again?' })
    expect(ask.textContent).toMatch(/can no longer be undone/)
    await fireEvent.click(within(ask).getByRole('button', { name: 'Keep editing' }))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(api.callsOf('organize.start')).toEqual([])

    await fireEvent.click(again)
    const confirm = screen.getByRole('alertdialog', { name: 'Organize again?' })
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Organize again' }))
    await settle()
    expect(api.callsOf('organize.start')).toEqual([{ clusters: 'auto' }])

    // The job ends with a new run; the engine's history of the old one is gone.
    api.retrained()
    api.emit({
      type: 'progress',
      progress: { status: 'done', jobId: 1, kind: 'organize', seconds: 5 },
    })
    await settle()
    expect(undo().disabled).toBe(true)
    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true })
    await settle()
    expect(api.callsOf('edits.undo')).toEqual([])
  })
})

/** The app with one organize job already in the library (done unless said), on the Organize screen. */
async function organizeScreenWith(job: Partial<JobInfo> & Pick<JobInfo, 'id' | 'state'>) {
  const { FakeApi } = await import('./fake-api')
  const { render } = await import('@testing-library/svelte')
  const App = (await import('../../src/renderer/src/App.svelte')).default
  const api = new FakeApi()
  api.jobs = [
    {
      kind: 'organize',
      stage: 'assign',
      done: 10,
      total: 10,
      error: null,
      createdAt: 1,
      updatedAt: 2,
      summary: null,
      seconds: null,
      ...job,
    },
  ]
  render(App, { props: { api } })
  await fireEvent.click(await screen.findByRole('button', { name: 'Organize' }))
  return { api, panel: await screen.findByRole('region', { name: 'Organize progress' }) }
}
