// The Content-Security-Policy of the dashboard's pages. Scripts run only with this
// response's nonce (Next puts it on its own script tags when it reads it from the request,
// proxy.ts), and what they load ('strict-dynamic'); no inline script or eval can run, so an
// injected <script> or on*= attribute does nothing. Styles may be inline (React's style
// attributes, recharts); everything else comes from our own origin. API responses keep the
// plain policy of security-headers.ts (they are not documents that run scripts).
export function pageContentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV !== "production"): string {
  return [
    "default-src 'self'",
    // Development: React's dev tools need eval, and hot reload a WebSocket.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
    "form-action 'self'",
  ].join("; ");
}

/** A fresh nonce per response: 16 random bytes, base64. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
