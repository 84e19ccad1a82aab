/**
 * The Content-Security-Policy of the app page, sent by the Electron shell and by the
 * browser-mode server (also in src/renderer/index.html as a meta tag).
 */
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
