import { m001Library } from './001-library'
import { m002Features } from './002-features'
import { m003Training } from './003-training'
import { m004Journals } from './004-journals'
import { m005UnsortedReason } from './005-unsorted-reason'
import { m006KeptGroups } from './006-kept-groups'
import { m007ExportResumeAndNonPhotos } from './007-export-resume-and-non-photos'
import { m008HiddenPhotos } from './008-hidden-photos'
import { m009WatchedFolders } from './009-watched-folders'
import { m010ApartGroups } from './010-apart-groups'
import { m011JobSummaries } from './011-job-summaries'
import type { Migration } from './types'

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  m001Library,
  m002Features,
  m003Training,
  m004Journals,
  m005UnsortedReason,
  m006KeptGroups,
  m007ExportResumeAndNonPhotos,
  m008HiddenPhotos,
  m009WatchedFolders,
  m010ApartGroups,
  m011JobSummaries,
]

export type { Migration }
