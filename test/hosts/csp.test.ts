import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { appCsp } from '../../src/hosts/csp'

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
