import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { linkCaltechPhotos, sharedPath } from './shared'
import { tempDir } from './tmp'

export const KINDS = ['Motorbikes', 'sunflower']
export const PER_KIND = 16
export const BURSTS = 3
export const SHOTS = 5

/**
 * Burst `b`: the photo and SHOTS − 1 near-copies (a little cropped, a little brighter), as
 * `sunflower-burst<b>-<shot>.jpg`, a second apart when `timed`.
 */
async function writeBurst(source: string, dir: string, b: number, timed: boolean) {
  const { width, height } = await sharp(source).metadata()
  for (let shot = 0; shot < SHOTS; shot++) {
    const cut = Math.round(Math.min(width!, height!) * 0.02 * shot)
    let image = sharp(source)
      .extract({ left: cut, top: cut, width: width! - 2 * cut, height: height! - 2 * cut })
      .resize(width, height)
      .modulate({ brightness: 1 + 0.03 * shot })
      .jpeg()
    if (timed)
      image = image.withExif({ IFD2: { DateTimeOriginal: `2024:05:0${b + 1} 10:00:0${shot}` } })
    await image.toFile(path.join(dir, `sunflower-burst${b}-${shot}.jpg`))
  }
}

/**
 * A folder of PER_KIND Motorbikes and sunflowers (named `<kind>-<file>`) and BURSTS bursts of
 * SHOTS sunflower shots each, with EXIF capture times a second apart when `timed`.
 */
export async function folderWithBursts(timed: boolean): Promise<string> {
  const folder = linkCaltechPhotos(tempDir('kindred-bursts-'), KINDS, 0, PER_KIND, {
    classInName: true,
  })
  const source = sharedPath('datasets', 'caltech20', 'sunflower')
  const extra = fs
    .readdirSync(source)
    .sort()
    .slice(PER_KIND, PER_KIND + BURSTS)
  const dir = path.join(folder, 'bursts')
  fs.mkdirSync(dir)
  for (const [b, file] of extra.entries()) await writeBurst(path.join(source, file), dir, b, timed)
  return folder
}
