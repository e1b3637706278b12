// Security headers for every response Tollbooth itself serves: Next's pages and assets and
// the Hono API alike. server.ts sets them before handing a request to either layer, so
// `npm start` and `npm run start:api` send the same set. (The payment page that the
// @tollbooth/l402 middleware serves lives in the owner's app and is not covered here.)
import type { ServerResponse } from "node:http";

export function securityHeaders(production = process.env.NODE_ENV === "production"): Record<string, string> {
  const headers: Record<string, string> = {
    // No page of ours may be framed (clickjacking); base-uri and object-src close the
    // two injection routes that need no script.
    "Content-Security-Policy": "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
  // Only in production: a development server on http://localhost must not pin HTTPS.
  if (production) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/** Sets the headers on a response before a handler writes it; a handler may still
 *  override one (Node merges writeHead's headers over these). */
export function applySecurityHeaders(res: ServerResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}
