// The client's IP address, derived once per request by server.ts and read everywhere else
// (API-key allow-lists, the sign-in throttle, the audit log) through requestContext().
//
// X-Forwarded-For is a list each proxy appends to: "<what the client wrote>, ..., <what
// proxy 1 saw>". Only the entries our own proxies appended can be believed, so with
// TRUST_PROXY=N we take the N-th address counted from our side (the socket peer is hop 0),
// as Express's numeric `trust proxy` does; the left-most entry is whatever the client said.
import { isIP } from "node:net";
import type { IncomingMessage } from "node:http";

/** The header server.ts writes the resolved address into (any client-sent value is replaced). */
export const CLIENT_IP_HEADER = "x-tollbooth-client-ip";

/** TRUST_PROXY: how many reverse proxies stand in front of Tollbooth (unset or 0: none). */
export function trustedProxyHops(value = process.env.TRUST_PROXY): number {
  if (value === undefined || value.trim() === "") return 0;
  if (!/^\d+$/.test(value.trim())) {
    throw new Error(
      `TRUST_PROXY must be the number of reverse proxies in front of Tollbooth (0, 1, 2, ...), got "${value}". ` +
        'Values such as "true" would trust whatever address a client writes into X-Forwarded-For.',
    );
  }
  return Number(value.trim());
}

/** A bare, canonical address: "::ffff:1.2.3.4" → "1.2.3.4", brackets and ports dropped,
 *  IPv6 in lower case; null when it is not an IP address at all. */
export function normalizeIp(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let value = raw.trim();
  const bracketed = value.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) value = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  if (value.toLowerCase().startsWith("::ffff:") && isIP(value.slice(7)) === 4) value = value.slice(7);
  const version = isIP(value);
  if (version === 4) return value;
  if (version === 6) return value.toLowerCase();
  return null;
}

/** The client address seen `trustedHops` proxies away from us; with fewer entries than
 *  hops, the farthest one there is (as Express does). */
export function clientIp(
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string | null {
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Nearest first: the socket peer, then each proxy's entry from right to left.
  const chain = [remoteAddress ?? "", ...forwarded.reverse()];
  return normalizeIp(chain[Math.min(trustedHops, chain.length - 1)]);
}

/** Writes the resolved address into CLIENT_IP_HEADER, replacing anything the client sent.
 *  Both views of the headers: @hono/node-server builds a full Request from rawHeaders
 *  (e.g. once hono/body-limit wraps the body), Next reads headers. */
export function stampClientIp(req: Pick<IncomingMessage, "headers" | "socket" | "rawHeaders">, trustedHops: number): void {
  const ip = clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops);
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]!.toLowerCase() === CLIENT_IP_HEADER) raw.splice(i, 2);
  if (ip) {
    req.headers[CLIENT_IP_HEADER] = ip;
    raw.push(CLIENT_IP_HEADER, ip);
  } else delete req.headers[CLIENT_IP_HEADER];
}
