// Near-duplicate photo sets made at run time from a labelled dataset (never stored in git):
// some photos of a few classes get edited copies (re-save, resize, small crop, brightness), the
// others stay alone as look-alikes of the same kind that must not join their sets.
import fs from 'node:fs'
import path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { seededRandom, permutation } from '../../src/core/ml/random'

export interface Variant {
  name: string
  make(image: Sharp, width: number, height: number): Sharp
}

/** Edits a camera, an app or a person makes to one photo; each keeps the same picture. */
export const VARIANTS: Variant[] = [
  { name: 'resave', make: (img) => img.jpeg({ quality: 55 }) },
  {
    name: 'resize',
    make: (img, w) => img.resize({ width: Math.round(w * 0.6) }).jpeg({ quality: 90 }),
  },
  {
    name: 'crop',
    make: (img, w, h) =>
      img
        .extract({
          left: Math.round(w * 0.06),
          top: Math.round(h * 0.04),
          width: Math.round(w * 0.9),
          height: Math.round(h * 0.92),
        })
        .jpeg({ quality: 90 }),
  },
  { name: 'blurred', make: (img) => img.blur(1.2).jpeg({ quality: 90 }) },
  { name: 'brighter', make: (img) => img.modulate({ brightness: 1.25 }).jpeg({ quality: 90 }) },
  {
    name: 'darker-crop',
    make: (img, w, h) =>
      img
        .extract({ left: 0, top: 0, width: Math.round(w * 0.92), height: Math.round(h * 0.92) })
        .modulate({ brightness: 0.8 })
        .jpeg({ quality: 80 }),
  },
]

export interface Scenario {
  dataset: string
  seed: number
  classes: number
  perClass: number
  /** Share of the chosen photos that get edited copies. */
  edited: number
}

export interface Generated {
  folder: string
  /** File name → the original it was made from (itself for originals). */
  origin: Map<string, string>
  classes: string[]
  originals: number
  copies: number
}

function pick<T>(items: T[], n: number, random: () => number): T[] {
  const order = permutation(items.length, random)
  return [...order.slice(0, n)].map((i) => items[i]!)
}

/** Writes the originals and their edited copies of one scenario into `folder`. */
export async function generate(
  datasetsDir: string,
  scenario: Scenario,
  folder: string,
): Promise<Generated> {
  const random = seededRandom(scenario.seed)
  const root = path.join(datasetsDir, scenario.dataset)
  const all = fs.readdirSync(root).filter((c) => fs.statSync(path.join(root, c)).isDirectory())
  const classes = pick(all.sort(), scenario.classes, random)
  const origin = new Map<string, string>()
  let copies = 0
  for (const cls of classes) {
    const files = fs.readdirSync(path.join(root, cls)).sort()
    for (const file of pick(files, scenario.perClass, random)) {
      const base = `${cls}-${path.parse(file).name}`
      const source = path.join(root, cls, file)
      fs.copyFileSync(source, path.join(folder, `${base}.jpg`))
      origin.set(`${base}.jpg`, base)
      if (random() >= scenario.edited) continue
      const { width = 0, height = 0 } = await sharp(source).metadata()
      const count = 1 + Math.floor(random() * 3)
      for (const v of pick(VARIANTS, count, random)) {
        const name = `${base}~${v.name}.jpg`
        await v.make(sharp(source), width, height).toFile(path.join(folder, name))
        origin.set(name, base)
        copies++
      }
    }
  }
  return { folder, origin, classes, originals: origin.size - copies, copies }
}
