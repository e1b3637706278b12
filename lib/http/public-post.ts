// A server-side POST to a URL a user typed (webhook endpoints), safe against SSRF: the host
// is resolved first, EVERY address it resolves to must be public (isPublicIp, the one
// private-address check, shared with the Lightning-address fetch), and the connection then
// goes to that checked address (a `lookup` that returns it), so a DNS answer that changes
// between check and connect (rebinding) cannot redirect it. Redirects are never followed:
// a 3xx is an answer like any other non-2xx (Stripe does the same), so a redirect to a
// private address is never fetched.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isPublicIp } from "../keys/ip-allowlist";

export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface PublicPostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Allow private, loopback and link-local addresses (WEBHOOK_ALLOW_PRIVATE=1). */
  allowPrivate?: boolean;
  /** DNS, injectable for tests. Default: the system resolver, every address. */
  resolve?: Resolve;
  /** Answer bytes kept; the rest is read and dropped. */
  keepBytes?: number;
}

export interface PostResult {
  status: number;
  body: string;
  /** Where the answer pointed, for a 3xx (not followed). */
  location: string | null;
}

export class RefusedDestinationError extends Error {}

const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true });

/** The addresses to connect to; throws RefusedDestinationError for a non-public one. */
export async function checkedAddresses(hostname: string, allowPrivate: boolean, resolve: Resolve = systemResolve) {
  const bare = hostname.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  const addresses = family ? [{ address: bare, family }] : await resolve(bare);
  if (addresses.length === 0) throw new RefusedDestinationError(`${hostname} resolves to no address`);
  if (!allowPrivate) {
    const blocked = addresses.find((a) => !isPublicIp(a.address));
    if (blocked) throw new RefusedDestinationError(`${hostname} resolves to a private address (${blocked.address})`);
  }
  return addresses;
}

export async function publicPost(url: string, options: PublicPostOptions): Promise<PostResult> {
  const target = new URL(url);
  if (target.protocol !== "https:" && target.protocol !== "http:") throw new RefusedDestinationError("only http and https URLs");
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const addresses = await checkedAddresses(target.hostname, options.allowPrivate ?? false, options.resolve);
  // Node asks for one address or, with autoSelectFamily, for all of them: answer either
  // from the checked list, never from a second DNS query.
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) (callback as (e: null, a: typeof addresses) => void)(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
  const client = target.protocol === "https:" ? https : http;
  const keep = options.keepBytes ?? 2048;
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { ...options.headers, "content-length": Buffer.byteLength(options.body) },
        lookup: pinned,
        signal: deadline,
        // A fresh connection per delivery: a pooled socket could belong to another host.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on("data", (chunk: Buffer) => {
          if (kept < keep) {
            chunks.push(chunk.subarray(0, keep - kept));
            kept += Math.min(chunk.length, keep - kept);
          }
          // Past the excerpt nothing more is needed: stop reading a large answer.
          if (kept >= keep) response.destroy();
        });
        const done = () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            location: typeof response.headers.location === "string" ? response.headers.location : null,
          });
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      },
    );
    request.on("error", (error) => reject(deadline.aborted ? new Error(`no answer within ${options.timeoutMs / 1000} s`) : error));
    request.end(options.body);
  });
}
