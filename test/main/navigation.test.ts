import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { appCsp, isAppUrl } from '../../src/main/navigation'

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

describe('content security policy', () => {
  it('allows no remote content, no eval and no plugins', () => {
    const csp = appCsp(false)
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/)
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("img-src 'self' kindred-photo: data: blob:")
  })

  it('matches the meta tag of the renderer page in every directive the page can set', () => {
    const html = fs.readFileSync(path.resolve(__dirname, '../../src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta, 'src/renderer/index.html has a CSP meta tag').toBeTruthy()
    // frame-ancestors is ignored in a meta tag; every other directive must agree.
    const directives = appCsp(false)
      .split('; ')
      .filter((d) => !d.startsWith('frame-ancestors'))
    expect(meta!.split('; ').sort()).toEqual(directives.sort())
  })
})
