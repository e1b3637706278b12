// LNURL-pay for Lightning addresses (LUD-06, LUD-16): `user@domain` names the document at
// https://domain/.well-known/lnurlp/user, which says where to ask for an invoice and for how
// much. Setting a Lightning address resolves it (so a typo is caught when it is typed, not
// at the first payout), and payouts ask its callback for each invoice.
//
// Every failure is an AppError with a message an owner can act on. The fetch is a
// server-side request to a host a user typed, so the default one refuses hosts that
// resolve to private or loopback addresses and never follows redirects; the app's own host
// (the simulated LNURL server in development) is the one exception, over plain http.
import { createHash } from "node:crypto";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { z } from "zod";
import { AppError } from "../errors";
import { isPublicIp } from "../keys/ip-allowlist";
import { decodeInvoiceBasic } from "../lightning/bolt11";
import { simulatedLnurlHosts } from "../dev/tools";

export interface LnurlOptions {
  /** Default: globalThis.fetch behind a check that the host resolves to public addresses. */
  fetch?: typeof fetch;
  /** Per request. Default 5000. */
  timeoutMs?: number;
  /** Hosts (host[:port]) reached over plain http, private addresses allowed: the app's own
   *  host while the simulated LNURL server is on. Default: simulatedLnurlHosts(). */
  localHosts?: readonly string[];
  /** The form field errors are about. Default "lightningAddress". */
  param?: string;
}

/** A resolved LNURL-pay document: where to ask for an invoice, and the amounts it takes. */
export interface PayRequest {
  /** Lower-cased user@domain. */
  address: string;
  /** The document's URL. */
  url: string;
  callback: string;
  minSendableMsat: bigint;
  maxSendableMsat: bigint;
  /** The raw metadata string: an invoice's description hash must be its sha256. */
  metadata: string;
  /** The text/plain entry of the metadata. */
  description: string;
  /** Longest comment the callback accepts (LUD-12); 0 = none. */
  commentAllowed: number;
}

export const DEFAULT_LNURL_TIMEOUT_MS = 5000;
const MAX_BODY_BYTES = 64 * 1024;

// LUD-16: the user part is a-z0-9-_. (and + for tags, which some servers use). The domain
// may carry a port only for the app's own host (development).
const ADDRESS_PATTERN = /^([a-z0-9._+-]{1,64})@([a-z0-9.-]{1,253}(?::\d{1,5})?)$/;

export function parseLightningAddress(input: string, param = "lightningAddress"): { address: string; user: string; host: string } {
  const address = input
    .trim()
    .replace(/^lightning:/i, "")
    .toLowerCase();
  const match = ADDRESS_PATTERN.exec(address);
  if (!match) throw invalid("invalid_lightning_address", "Use the form name@domain.com (a Lightning address).", param);
  return { address, user: match[1], host: match[2] };
}

/** Resolves `user@domain` to its LNURL-pay document, checking the shape LUD-06 requires. */
export async function resolveLightningAddress(address: string, options: LnurlOptions = {}): Promise<PayRequest> {
  const param = options.param ?? "lightningAddress";
  const parsed = parseLightningAddress(address, param);
  const scheme = schemeFor(parsed.host, options, param);
  const url = `${scheme}://${parsed.host}/.well-known/lnurlp/${encodeURIComponent(parsed.user)}`;
  const body = await getJson(url, parsed.host, options, param, `${parsed.host} has no Lightning address “${parsed.user}”.`);
  return checkPayRequest(body, parsed, url, options, param);
}

/**
 * Asks a pay request's callback for an invoice of exactly `amountMsat` and checks it: within
 * min/max, the invoice's amount equal to the request, and its description hash the sha256 of
 * the metadata (LUD-06), so a server cannot hand back an invoice for something else.
 */
export async function requestLnurlInvoice(
  payRequest: PayRequest,
  amountMsat: bigint,
  options: LnurlOptions & { comment?: string } = {},
): Promise<{ bolt11: string; paymentHash: string }> {
  const param = options.param ?? "lightningAddress";
  if (amountMsat < payRequest.minSendableMsat || amountMsat > payRequest.maxSendableMsat) {
    throw invalid(
      "lightning_address_amount_out_of_range",
      `${payRequest.address} takes ${payRequest.minSendableMsat}–${payRequest.maxSendableMsat} msat, not ${amountMsat}.`,
      param,
    );
  }
  const callback = new URL(payRequest.callback);
  callback.searchParams.set("amount", amountMsat.toString());
  if (options.comment && payRequest.commentAllowed > 0)
    callback.searchParams.set("comment", options.comment.slice(0, payRequest.commentAllowed));
  const body = await getJson(callback.toString(), callback.host, options, param, `${callback.host} has no invoice callback there.`);
  const pr = (body as { pr?: unknown }).pr;
  if (typeof pr !== "string" || pr.length === 0) throw malformed(callback.host, "its callback answered without an invoice (pr)", param);
  let decoded: ReturnType<typeof decodeInvoiceBasic>;
  try {
    decoded = decodeInvoiceBasic(pr);
  } catch (error) {
    throw wrongInvoice(callback.host, `its invoice does not decode (${(error as Error).message})`, param);
  }
  if (decoded.amountMsat !== amountMsat) {
    throw wrongInvoice(
      callback.host,
      `its invoice is for ${decoded.amountMsat ?? "no amount"} msat, not the ${amountMsat} asked for`,
      param,
    );
  }
  const metadataHash = createHash("sha256").update(payRequest.metadata, "utf8").digest("hex");
  if (decoded.descriptionHash !== metadataHash) {
    throw wrongInvoice(callback.host, "its invoice's description hash is not the sha256 of the metadata", param);
  }
  return { bolt11: pr, paymentHash: decoded.paymentHash };
}

const amountSchema = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform((v) => BigInt(v));
const payRequestSchema = z.object({
  tag: z.literal("payRequest"),
  callback: z.string().min(1),
  minSendable: amountSchema,
  maxSendable: amountSchema,
  metadata: z.string().min(2),
  commentAllowed: z.number().int().nonnegative().optional(),
});

function checkPayRequest(
  body: unknown,
  parsed: { address: string; host: string },
  url: string,
  options: LnurlOptions,
  param: string,
): PayRequest {
  const result = payRequestSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join(".") || "the document";
    const what = field === "tag" ? `tag is not "payRequest"` : `${field} is missing or invalid`;
    throw malformed(parsed.host, `its LNURL-pay document is not a pay request (${what})`, param);
  }
  const document = result.data;
  if (document.minSendable > document.maxSendable) throw malformed(parsed.host, "its minSendable is above its maxSendable", param);
  let callback: URL;
  try {
    callback = new URL(document.callback);
  } catch {
    throw malformed(parsed.host, "its callback is not a URL", param);
  }
  if (callback.protocol !== "https:" && !(callback.protocol === "http:" && isLocalHost(callback.host, options))) {
    throw malformed(parsed.host, "its callback is not an https:// URL", param);
  }
  let entries: unknown;
  try {
    entries = JSON.parse(document.metadata);
  } catch {
    throw malformed(parsed.host, "its metadata is not JSON", param);
  }
  const pairs = Array.isArray(entries) ? entries.filter((e): e is [string, string] => Array.isArray(e) && typeof e[0] === "string") : null;
  const description = pairs?.find(([type]) => type === "text/plain")?.[1];
  if (typeof description !== "string") throw malformed(parsed.host, "its metadata has no text/plain entry (LUD-06)", param);
  return {
    address: parsed.address,
    url,
    callback: callback.toString(),
    minSendableMsat: document.minSendable,
    maxSendableMsat: document.maxSendable,
    metadata: document.metadata,
    description,
    commentAllowed: document.commentAllowed ?? 0,
  };
}

async function getJson(url: string, host: string, options: LnurlOptions, param: string, notFound: string): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LNURL_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? (isLocalHost(host, options) ? globalThis.fetch : defaultFetch);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let text: string;
  let status: number;
  try {
    const response = await fetchImpl(url, { headers: { accept: "application/json" }, redirect: "error", signal: controller.signal });
    status = response.status;
    text = await readLimited(response);
  } catch (error) {
    if (controller.signal.aborted) {
      throw new AppError("invalid_request_error", "lightning_address_timeout", `${host} did not answer within ${timeoutMs / 1000} s.`, {
        param,
      });
    }
    if (error instanceof AppError) throw error;
    throw new AppError("invalid_request_error", "lightning_address_unreachable", `Could not reach ${host} (${describe(error)}).`, {
      param,
    });
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  // LUD-06 errors: {"status":"ERROR","reason":"..."}, whatever the HTTP status.
  const reported = body as { status?: unknown; reason?: unknown } | undefined;
  if (typeof reported?.status === "string" && reported.status.toUpperCase() === "ERROR") {
    const reason = typeof reported.reason === "string" ? reported.reason.slice(0, 200) : "no reason given";
    throw new AppError("invalid_request_error", "lightning_address_error", `${host} refused: ${reason}`, { param });
  }
  if (status === 404) throw new AppError("invalid_request_error", "lightning_address_not_found", notFound, { param });
  if (status < 200 || status > 299) throw malformed(host, `it answered HTTP ${status}`, param);
  if (body === undefined || body === null || typeof body !== "object") throw malformed(host, "its answer is not JSON", param);
  return body;
}

async function readLimited(response: Response): Promise<string> {
  const length = Number(response.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) throw new Error("answer too large");
  const buffer = await response.arrayBuffer();
  if (buffer.byteLength > MAX_BODY_BYTES) throw new Error("answer too large");
  return new TextDecoder().decode(buffer);
}

function schemeFor(host: string, options: LnurlOptions, param: string): "http" | "https" {
  if (isLocalHost(host, options)) return "http";
  const hostname = host.replace(/:\d+$/, "").replace(/\.$/, "");
  if (host.replace(/\.$/, "") !== hostname) throw invalid("invalid_lightning_address", "A Lightning address's domain has no port.", param);
  if (isIP(hostname) || !hostname.includes(".") || hostname.endsWith(".localhost") || hostname === "localhost") {
    throw invalid("invalid_lightning_address", "Use a Lightning address on a public domain, like name@getalby.com.", param);
  }
  return "https";
}

function isLocalHost(host: string, options: LnurlOptions): boolean {
  const local = options.localHosts ?? simulatedLnurlHosts();
  return local.includes(host.toLowerCase());
}

type Lookup = (hostname: string, options: { all: true }) => Promise<{ address: string }[]>;

/** A fetch that first checks that every address the host resolves to is public (the
 *  default for hosts a user typed). `resolve` is injectable for tests. */
export function publicOnlyFetch(resolve: Lookup = lookup): typeof fetch {
  return async (input, init) => {
    const hostname = new URL(typeof input === "string" || input instanceof URL ? input : input.url).hostname;
    let addresses: { address: string }[];
    try {
      addresses = await resolve(hostname, { all: true });
    } catch (error) {
      throw new Error((error as { code?: string }).code === "ENOTFOUND" ? "no such domain" : describe(error));
    }
    if (addresses.length === 0 || !addresses.every((a) => isPublicIp(a.address))) throw new Error("it resolves to a private address");
    return globalThis.fetch(input, init);
  };
}
const defaultFetch = publicOnlyFetch();

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

function invalid(code: string, message: string, param: string): AppError {
  return new AppError("invalid_request_error", code, message, { param });
}

/** An invoice that is not what was asked for: never to be paid (payouts refuse at once). */
function wrongInvoice(host: string, what: string, param: string): AppError {
  return invalid("lightning_address_wrong_invoice", `${host} is not a working Lightning address: ${what}.`, param);
}

function malformed(host: string, what: string, param: string): AppError {
  return invalid("lightning_address_invalid", `${host} is not a working Lightning address: ${what}.`, param);
}
