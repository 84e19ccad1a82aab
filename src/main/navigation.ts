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
