import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

export interface Faults {
  /** Files whose first full request is cut off halfway (connection destroyed). */
  cutOnce?: Set<string>
  /** Files served with one byte changed. */
  corrupt?: Set<string>
  /** Files answered with 404. */
  missing?: Set<string>
}

export interface TestServer {
  url: string
  requests: { file: string; range: string | undefined }[]
  close(): Promise<void>
}

/** A static file server for `root` on 127.0.0.1 with Range support and injectable faults. */
export async function serveFolder(root: string, faults: Faults = {}): Promise<TestServer> {
  const requests: TestServer['requests'] = []
  const cut = new Set(faults.cutOnce)
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = path.basename(rel)
    requests.push({ file, range: req.headers.range })
    const full = path.join(root, rel)
    if (faults.missing?.has(file) || !fs.existsSync(full) || !fs.statSync(full).isFile()) {
      res.writeHead(404).end('not found')
      return
    }
    let body = fs.readFileSync(full)
    if (faults.corrupt?.has(file)) {
      body = Buffer.from(body)
      body[body.length - 1] = (body[body.length - 1] as number) ^ 0xff
    }
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0)
    if (start >= body.length && start > 0) {
      res.writeHead(416).end()
      return
    }
    const part = body.subarray(start)
    res.writeHead(start > 0 ? 206 : 200, {
      'Content-Length': part.length,
      ...(start > 0 ? { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    })
    if (start === 0 && cut.delete(file)) {
      res.write(part.subarray(0, part.length >> 1), () => res.destroy())
      return
    }
    res.end(part)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
