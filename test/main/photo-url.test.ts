import { describe, expect, it } from 'vitest'
import { parsePhotoUrl, photoUrl } from '../../src/main/photo-url'

describe('kindred-photo:// addresses', () => {
  it('round-trip photo ids and kinds', () => {
    expect(photoUrl(42, 'thumbnail')).toBe('kindred-photo://thumbnail/42')
    expect(parsePhotoUrl(photoUrl(42, 'thumbnail'))).toEqual({ photoId: 42, kind: 'thumbnail' })
    expect(parsePhotoUrl(photoUrl(9_007_199_254_740_991, 'full'))).toEqual({
      photoId: 9_007_199_254_740_991,
      kind: 'full',
    })
  })

  it('refuse paths, traversal and anything that is not exactly an id', () => {
    for (const url of [
      'kindred-photo://thumbnail/../../etc/passwd',
      'kindred-photo://full/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'kindred-photo://full//etc/passwd',
      'kindred-photo://full/etc/passwd',
      'kindred-photo://full/1/2',
      'kindred-photo://full/1/',
      'kindred-photo://full/01',
      'kindred-photo://full/0',
      'kindred-photo://full/-1',
      'kindred-photo://full/1.5',
      'kindred-photo://full/1e3',
      'kindred-photo://full/99999999999999999',
      'kindred-photo://full/1?x=2',
      'kindred-photo://full/1#x',
      'kindred-photo://user:pw@full/1',
      'kindred-photo://full:80/1',
      'kindred-photo://original/1',
      'kindred-photo:///etc/passwd',
      'kindred-photo://%2fetc%2fpasswd/1',
      'file:///etc/passwd',
      'https://thumbnail/1',
      'not a url',
      '',
    ]) {
      expect(parsePhotoUrl(url), url).toBeNull()
    }
  })
})
