/**
 * Bursts made of real photos, through the whole organize pipeline (`kindred eval`'s
 * evaluateFolder): caltech20 kinds with a share of their photos shot several times in a row
 * (the photo and near-copies a little shifted, zoomed and brighter, written with sharp). The
 * same library twice: with EXIF capture times a second apart in each burst, and without any.
 * Prints the groups found and the fix cost per 100 photos of the final model.
 * Usage: node bin/run-ts.js bench/research/bursts-real.ts [--seeds 3] [--kinds 10]
 *          [--per-kind 30] [--share 0.3] [--shots 5] [--modes auto,k]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import { seededRandom } from '../../src/core/ml/random'
import { evaluateFolder } from '../../src/core/pipeline/eval'
import { sharedDir } from '../quality/dataset'

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    kinds: { type: 'string', default: '10' },
    'per-kind': { type: 'string', default: '30' },
    share: { type: 'string', default: '0.3' },
    shots: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'auto,k' },
  },
})
process.env.KINDRED_MODELS_DIR ??= path.join(sharedDir, 'models')
const caltech = path.join(sharedDir, 'datasets', 'caltech20')
const shots = Number(values.shots)

/** EXIF time of shot `s` of burst `b`: bursts an hour apart, shots a second apart. */
function exifTime(b: number, s: number): string {
  const t = new Date(Date.UTC(2024, 4, 1, 8) + b * 3_600_000 + s * 1000)
  const two = (v: number) => String(v).padStart(2, '0')
  return `${t.getUTCFullYear()}:${two(t.getUTCMonth() + 1)}:${two(t.getUTCDate())} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}`
}

/** The photo and shots − 1 near-copies of it into `dir`, with capture times when `timed`. */
async function writeBurst(source: string, dir: string, b: number, timed: boolean) {
  const { width, height } = await sharp(source).metadata()
  const side = Math.min(width!, height!)
  for (let s = 0; s < shots; s++) {
    // Each shot framed a little differently: shifted and zoomed by up to 3% of the short side.
    const cut = Math.round(side * 0.015 * s)
    const shift = s % 2 === 0 ? 0 : cut
    let image = sharp(source)
      .extract({ left: shift, top: cut - shift, width: width! - cut, height: height! - cut })
      .resize(width, height)
      .modulate({ brightness: 1 + 0.02 * s })
      .jpeg({ quality: 90 })
    if (timed) image = image.withExif({ IFD2: { DateTimeOriginal: exifTime(b, s) } })
    await image.toFile(path.join(dir, `burst${b}-${s}.jpg`))
  }
}

/** A labelled folder (one sub-folder per kind) of the drawn photos, bursts included. */
async function buildFolder(
  root: string,
  photos: { kind: string; file: string; burst: number }[],
  timed: boolean,
) {
  for (const { kind, file, burst } of photos) {
    const dir = path.join(root, kind)
    fs.mkdirSync(dir, { recursive: true })
    const source = path.join(caltech, kind, file)
    if (burst < 0) fs.symlinkSync(source, path.join(dir, file))
    else await writeBurst(source, dir, burst, timed)
  }
}

const kindsAll = fs
  .readdirSync(caltech)
  .filter((k) => fs.statSync(path.join(caltech, k)).isDirectory())
  .sort()
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-bursts-'))
try {
  for (let seed = 0; seed < Number(values.seeds); seed++) {
    const random = seededRandom(seed + 1)
    const shuffle = <T>(xs: T[]) =>
      xs
        .map((x) => ({ x, r: random() }))
        .sort((p, q) => p.r - q.r)
        .map((p) => p.x)
    const kinds = shuffle(kindsAll).slice(0, Number(values.kinds))
    let bursts = 0
    const photos = kinds.flatMap((kind) =>
      shuffle(fs.readdirSync(path.join(caltech, kind)).sort())
        .slice(0, Number(values['per-kind']))
        .map((file) => ({ kind, file, burst: random() < Number(values.share) ? bursts++ : -1 })),
    )
    for (const timed of [true, false]) {
      const folder = path.join(work, `seed${seed}-${timed ? 'timed' : 'untimed'}`)
      await buildFolder(folder, photos, timed)
      for (const mode of values.modes.split(',')) {
        const clusters = mode === 'auto' ? 'auto' : kinds.length
        const report = await evaluateFolder(folder, { clusters, seed, tempRoot: work })
        const s = report.selflabel
        console.log(
          `seed ${seed} ${timed ? 'capture times' : 'no times    '} ${mode.padEnd(4)} n=${report.n} (${bursts} bursts): ${report.k} groups, ACC ${s.acc.toFixed(3)}, purity ${s.purity.toFixed(3)}, fix ${s.fixCost.per100.toFixed(1)} (${s.fixCost.moves} moves, ${s.fixCost.merges} merges)`,
        )
      }
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true })
}
