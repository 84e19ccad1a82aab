/**
 * Every test file gets an app-data folder of its own (Linux reads XDG_CONFIG_HOME), so that no
 * test reads or writes the real user's Kindred folder (their default library, their models),
 * and child processes the tests start inherit it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

const appData = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-appdata-'))
process.env.XDG_CONFIG_HOME = appData
afterAll(() => fs.rmSync(appData, { recursive: true, force: true }))
