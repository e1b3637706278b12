import type { RequestContext } from "../audit/record";
import { CLIENT_IP_HEADER } from "../http/client-ip";

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function read(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** IP and user agent of a request. The IP is the one server.ts resolved for every request
 *  (lib/http/client-ip.ts: the socket, or what TRUST_PROXY trusted proxies appended to
 *  X-Forwarded-For), never an address the client wrote, so it cannot be forged to pass an
 *  API key's allow-list or to dodge the sign-in throttle. */
export function requestContext(headers: HeaderSource): RequestContext {
  return {
    ip: read(headers, CLIENT_IP_HEADER) || null,
    userAgent: read(headers, "user-agent") ?? null,
  };
}
