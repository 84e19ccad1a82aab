/** Pure checks behind the window's navigation guard (tested under Node). */

/**
 * The app may only ever show its own page: the built index.html (file://) or, in development,
 * the electron-vite dev server. Everything else (remote sites, other files) is refused.
 */
export function isAppUrl(raw: string, appUrl: string): boolean {
  let url: URL
  let app: URL
  try {
    url = new URL(raw)
    app = new URL(appUrl)
  } catch {
    return false
  }
  if (app.protocol === 'file:') return url.protocol === 'file:' && url.pathname === app.pathname
  return url.origin === app.origin
}

/** The Content-Security-Policy of the app page (also in src/renderer/index.html as a meta tag). */
export function appCsp(dev: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' kindred-photo: data: blob:",
    // The dev server's hot reload talks over a WebSocket.
    dev ? "connect-src 'self' ws://localhost:* ws://127.0.0.1:*" : "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
