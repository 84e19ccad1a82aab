import { describe, expect, it } from 'vitest'
import { isAppUrl } from '../../src/main/navigation'

describe('navigation guard', () => {
  const built = 'file:///opt/Kindred/resources/app.asar/out/renderer/index.html'

  it('allows only the app page itself', () => {
    expect(isAppUrl(built, built)).toBe(true)
    expect(isAppUrl(`${built}#/groups/3`, built)).toBe(true)
    expect(isAppUrl('http://localhost:5173/groups', 'http://localhost:5173/')).toBe(true)
  })

  it('refuses remote sites, other files and other dev origins', () => {
    expect(isAppUrl('https://example.com/', built)).toBe(false)
    expect(isAppUrl('file:///etc/passwd', built)).toBe(false)
    expect(isAppUrl('file:///opt/Kindred/resources/app.asar/out/renderer/other.html', built)).toBe(
      false,
    )
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
    expect(isAppUrl('javascript:alert(1)', built)).toBe(false)
    expect(isAppUrl('garbage', built)).toBe(false)
  })
})
