// The default sweep's libraries: each set × scenario × seed, drawn and prepared in turn.
import { prepareLibrary, type PreparedLibrary } from './cluster'
import { loadSet, SETS } from './dataset'
import { SCENARIOS } from './scenarios'

export interface SweptLibrary {
  set: string
  scenario: string
  seed: number
  p: PreparedLibrary
}

/** `rows`: the class-balanced prefix of each set's cache the libraries are drawn from. */
export async function* sweepLibraries(seeds: number, rows = 3000): AsyncGenerator<SweptLibrary> {
  for (const setName of SETS) {
    const set = loadSet(setName, rows)
    for (const scenario of SCENARIOS)
      for (let seed = 0; seed < seeds; seed++) {
        const p = await prepareLibrary(set, scenario.draw(set, seed))
        yield { set: setName, scenario: scenario.name, seed, p }
      }
  }
}
