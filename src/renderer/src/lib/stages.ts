/** Words for the pipeline's stages, as a person would say them. */
import type { Stage } from '../../../shared/jobs'

const LABELS: Record<Stage, string> = {
  'scan-folders': 'Looking for photos',
  import: 'Reading photos',
  embed: 'Describing photos',
  neighbours: 'Finding similar photos',
  scan: 'Learning groups',
  selflabel: 'Refining groups',
  assign: 'Sorting photos into groups',
  export: 'Writing files',
  'install-model': 'Installing the model',
}

const UNITS: Record<Stage, string> = {
  'scan-folders': 'files',
  import: 'photos',
  embed: 'photos',
  neighbours: 'photos',
  scan: 'steps',
  selflabel: 'steps',
  assign: 'photos',
  export: 'files',
  'install-model': 'bytes',
}

export function stageLabel(stage: Stage): string {
  return LABELS[stage] ?? stage
}

export function stageUnit(stage: Stage): string {
  return UNITS[stage] ?? 'items'
}
