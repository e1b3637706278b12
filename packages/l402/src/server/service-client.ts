/**
 * The four calls the middleware makes to the Tollbooth service, with one short retry
 * where a retry is safe.
 *
 * Connections: the global fetch of Node 18+ (undici) keeps connections alive and reuses
 * them by default, so a steady stream of verify calls does not pay a TCP (or TLS)
 * handshake each time. Bun, Deno and Workers do the same.
 *
 * Retries (one, after ~100 ms, within the same timeoutMs budget):
 * - invoices, release and discovery: on any network error and on 502/503/504. Creating a
 *   second invoice is harmless (the first is simply never paid); release is keyed by
 *   (paymentHash, redemption) on the service, so a repeat gives back one use, not two.
 * - verify: only when the connection failed before the request could have been sent
 *   (ECONNREFUSED, DNS failure, connect timeout). Verify redeems a use: if a first attempt
 *   reached the service and redeemed, and only the answer was lost (ECONNRESET, a 502 from
 *   a proxy), a retry would be answered "used_up" and the payer would lose the use they
 *   paid for. Better to answer 503 and let the payer retry the whole call later.
 */
import type { ResolvedConfig } from "./options.js";
import { redact } from "./redact.js";
import {
  type DiscoveryDocument,
  type IssuedInvoice,
  isDiscoveryDocument,
  isIssuedInvoice,
  isVerifyAnswer,
  type VerifyAnswer,
} from "./service-types.js";

export type ServiceErrorKind =
  /** Network error, timeout, 5xx, 429 or an unreadable answer: state unknown, maybe transient. */
  | "unavailable"
  /** 429 payer_rate_limited: this payer (by IP) asked for too many challenges; answer it 429. */
  | "throttled"
  /** A 4xx the middleware cannot act on: bad or revoked key, missing scope, invalid endpoint. */
  | "rejected";

export class ServiceError extends Error {
  override readonly name = "ServiceError";

  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(redact(message));
  }
}

type RetryPolicy = "idempotent" | "unsent-only";

const RETRY_DELAY_MS = 100;
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
// Errors raised before a single byte of the request went out: safe to retry even verify.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** The errno-style code of a fetch failure (undici puts it on error.cause). */
function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function shouldRetryError(error: unknown, policy: RetryPolicy): boolean {
  const code = networkErrorCode(error);
  if (policy === "unsent-only") return code !== undefined && NOT_SENT_CODES.has(code);
  // fetch reports every network failure as a TypeError ("fetch failed", "Failed to fetch").
  return code !== undefined || error instanceof TypeError;
}

function retryAfterSeconds(header: string | null): number | undefined {
  const seconds = header ? Number.parseInt(header, 10) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3600) : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ServiceClient {
  /** The service's origin without credentials, safe to name in messages. */
  private readonly where: string;

  constructor(private readonly config: ResolvedConfig) {
    let where = "the Tollbooth service";
    try {
      where = new URL(config.baseUrl).origin;
    } catch {
      // An invalid base URL fails on the first call, with this generic name.
    }
    this.where = where;
  }

  /** `endpoint`: the pattern the code protects ("GET /premium/*"); `path`: the payer's literal request path;
   *  `payerIp`: the paying client, whose own challenge budget this spends (and verify's fresh challenge). */
  createInvoice(body: {
    endpoint: string;
    path: string;
    priceSats?: number | undefined;
    dynamicPrice?: boolean | undefined;
    description?: string;
    payerIp?: string;
  }): Promise<IssuedInvoice> {
    return this.call("POST", "/api/v1/invoices", body, "idempotent", [200, 201], isIssuedInvoice);
  }

  /** 200 (valid) and 402 (refused, with a fresh challenge) are both answers; anything else throws. */
  verify(body: { authorization: string; method: string; path: string; payerIp?: string }): Promise<VerifyAnswer> {
    return this.call("POST", "/api/v1/l402/verify", body, "unsent-only", [200, 402], isVerifyAnswer);
  }

  /** release: give a failed call's use back; charge: settle a metered call. Both are keyed by
   *  (paymentHash, redemption) on the service: a repeat is applied once. */
  report(
    what: "release" | "charge",
    body: { paymentHash: string; redemption: number } & (
      | { status?: number; reason?: string }
      | { amountMsat: string; description?: string | undefined }
    ),
  ): Promise<{ balanceMsat?: string }> {
    return this.call("POST", `/api/v1/l402/${what}`, body, "idempotent", [200], (value): value is { balanceMsat?: string } => !!value);
  }

  discovery(timeoutMs?: number): Promise<DiscoveryDocument> {
    return this.call("GET", "/api/v1/discovery", undefined, "idempotent", [200], isDiscoveryDocument, timeoutMs);
  }

  private async call<T>(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    policy: RetryPolicy,
    okStatuses: number[],
    isAnswer: (value: unknown) => value is T,
    timeoutMs = this.config.timeoutMs,
  ): Promise<T> {
    if (!this.config.apiKey) throw new ServiceError("rejected", "no API key: set TOLLBOOTH_API_KEY or pass apiKey");
    const { status, parsed, retryAfter } = await this.send(method, path, body, policy, timeoutMs);
    if (okStatuses.includes(status)) {
      if (isAnswer(parsed)) return parsed;
      throw new ServiceError("unavailable", `unexpected answer from ${this.where}${path}`, status);
    }
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = typeof error?.code === "string" ? error.code : undefined;
    const detail = typeof error?.message === "string" ? `: ${error.message}` : "";
    // 5xx and 429 may pass; any other 4xx is about this server's key or request and will not.
    // A 429 for one payer is about that payer only.
    const kind = code === "payer_rate_limited" ? "throttled" : status >= 500 || status === 429 ? "unavailable" : "rejected";
    throw new ServiceError(kind, `${this.where}${path} answered ${status}${detail}`, status, code, retryAfter);
  }

  private async send(method: string, path: string, body: unknown, policy: RetryPolicy, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const timedOut = () => new ServiceError("unavailable", `${this.where} did not answer within ${timeoutMs} ms`);
    try {
      for (let attempt = 1; ; attempt++) {
        const canRetry = attempt === 1 && Date.now() + RETRY_DELAY_MS < deadline;
        let response: Response;
        try {
          response = await this.config.fetch(this.config.baseUrl + path, {
            method,
            headers: {
              authorization: `Bearer ${this.config.apiKey}`,
              accept: "application/json",
              ...(body === undefined ? {} : { "content-type": "application/json" }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: controller.signal,
          });
        } catch (error) {
          if (controller.signal.aborted) throw timedOut();
          if (canRetry && shouldRetryError(error, policy)) {
            await sleep(RETRY_DELAY_MS);
            continue;
          }
          throw new ServiceError("unavailable", `${this.where} unreachable (${networkErrorCode(error) ?? (error as Error)?.name})`);
        }
        if (canRetry && policy === "idempotent" && RETRYABLE_STATUSES.has(response.status)) {
          // Drain so the connection goes back to the keep-alive pool.
          await response.arrayBuffer().catch(() => undefined);
          await sleep(RETRY_DELAY_MS);
          continue;
        }
        const text = await response.text();
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          // A proxy's HTML error page, say: read as "no body"; the status decides.
        }
        return { status: response.status, parsed, retryAfter: retryAfterSeconds(response.headers.get("retry-after")) };
      }
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      // Reading the body failed or timed out mid-way.
      throw controller.signal.aborted ? timedOut() : new ServiceError("unavailable", `${this.where} connection lost`);
    } finally {
      clearTimeout(timer);
    }
  }
}
