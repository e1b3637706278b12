import type { RequestContext } from "../audit/record";

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function read(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** IP and user agent of a request. server.ts sets x-forwarded-for from the socket unless
 *  TRUST_PROXY=1, so a client cannot forge its IP to dodge the sign-in throttle. */
export function requestContext(headers: HeaderSource): RequestContext {
  const forwarded = read(headers, "x-forwarded-for");
  return {
    ip: forwarded?.split(",")[0]?.trim() || null,
    userAgent: read(headers, "user-agent") ?? null,
  };
}
