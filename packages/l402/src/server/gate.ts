/**
 * The decision both adapters share: given a request's method, path and headers, either
 * serve it (with the verified payment) or answer it (402, 503, 500). No framework and no
 * Node built-ins here: the fetch adapter runs this on Workers and in browsers' runtimes.
 *
 * Order matters for cost and for the payer: no credential → one invoice call; a credential
 * whose preimage does not hash to its payment hash is refused locally (no verify call, so
 * garbage cannot load the service); only a plausible credential costs one verify call.
 */
import { findL402Token, parseAuthorization, preimageMatches } from "../shared/authorization.js";
import type { L402FormatError } from "../shared/errors.js";
import { cachedDiscovery, discoveryCacheKey } from "./discovery-cache.js";
import { type L402Options, type L402Payment, type ResolvedConfig, resolveConfig } from "./options.js";
import type { MeteredCall } from "./metered.js";
import { describeError } from "./redact.js";
import {
  misconfigured,
  paymentRequired,
  type PlainResponse,
  type RefusalReason,
  serviceUnavailable,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
  unpricedPath,
  wantsHtml,
} from "./responses.js";
import { ServiceClient, ServiceError } from "./service-client.js";
import { type DiscoveryDocument, type IssuedInvoice, isIssuedInvoice } from "./service-types.js";

/** A suspension is lifted by a person, not in seconds: payers are told to come back later. */
const SUSPENDED_RETRY_AFTER_SECONDS = 300;

export interface GateRequest {
  /** Upper case. */
  method: string;
  /** The payer's path without the query string: literal, never registered as a pattern. */
  path: string;
  /** What the owner's code protects, for a new invoice: e.g. "GET /premium/*" or "GET /users/:id";
   *  undefined when the only candidate was a payer's path that looks like a pattern. */
  endpoint: string | undefined;
  authorization: string | undefined;
  accept: string | undefined;
  /** The paying client's IP, forwarded so the service gives each payer its own challenge budget. */
  payerIp?: string;
  /** The request URL with its query (what a priceSats function sees). */
  url: string;
}

export type GateOutcome =
  /** Run the handler. payment is absent when the call goes through unpaid (OPTIONS, or onUnavailable "allow"). */
  { kind: "serve"; payment?: L402Payment } | { kind: "respond"; response: PlainResponse };

// Branding is a nicety: never hold a 402 long for it.
const BRANDING_TIMEOUT_MS = 2000;

export class Gate {
  private resolved?: ResolvedConfig;
  private serviceClient?: ServiceClient;
  private discoveryKey?: string;
  /** Endpoints whose dashboard price differs from options.priceSats, already logged once. */
  private readonly priceOverrideLogged = new Set<string>();

  constructor(private readonly options: L402Options) {
    // Fail at start-up on a wrong option value, not on the first paid call.
    resolveConfig(options);
  }

  /**
   * Resolved on first use, not at construction: route modules are often imported before
   * the environment is loaded (dotenv, framework env files).
   */
  get config(): ResolvedConfig {
    return (this.resolved ??= resolveConfig(this.options));
  }

  get service(): ServiceClient {
    return (this.serviceClient ??= new ServiceClient(this.config));
  }

  discovery(timeoutMs?: number): Promise<DiscoveryDocument> {
    this.discoveryKey ??= discoveryCacheKey(this.config.baseUrl, this.config.apiKey);
    return cachedDiscovery(this.discoveryKey, this.service, timeoutMs);
  }

  /** The endpoint this code protects, as new invoices declare it; `pattern` is what the
   *  adapter knows of the route (a mount path's `/premium/*`, a route's `/users/:id`). */
  endpointName(method: string, path: string, pattern?: string): string | undefined {
    const { endpoint } = this.options;
    if (typeof endpoint === "function") return endpoint({ method, path });
    if (endpoint !== undefined) return endpoint;
    if (pattern !== undefined) return `${method} ${pattern}`;
    // Only the payer's literal path to go on: it may name itself, never a pattern.
    return /(^|\/)[:*]/.test(path) ? undefined : `${method} ${path}`;
  }

  async check(request: GateRequest): Promise<GateOutcome> {
    // CORS preflights carry no credentials and must not be charged, or the real call never happens.
    if (request.method === "OPTIONS") return { kind: "serve" };
    const html = this.config.paymentPage && wantsHtml(request.accept);
    let token;
    let preimage;
    try {
      const credential = parseAuthorization(request.authorization);
      token = findL402Token(credential.macaroons);
      preimage = credential.preimage;
    } catch (error) {
      // No L402/LSAT credential at all is simply an unpaid call: no reason to give.
      const missing = (error as L402FormatError).code === "missing_credential";
      return this.challenge(request, html, missing ? undefined : { code: "malformed_credential", message: (error as Error).message });
    }
    if (!preimageMatches(preimage, token.identifier.paymentHash)) {
      return this.challenge(request, html, {
        code: "unpaid",
        message: "The preimage does not match the invoice's payment hash: pay the invoice first.",
      });
    }

    let answer;
    try {
      answer = await this.service.verify({
        authorization: request.authorization!,
        method: request.method,
        path: request.path,
        payerIp: request.payerIp,
      });
    } catch (error) {
      return this.serviceFailure(error);
    }
    if (answer.valid) {
      const payment: L402Payment = {
        paymentHash: answer.paymentHash,
        amountSats: answer.amountSats,
        endpoint: answer.endpoint,
        remainingUses: answer.remainingUses,
        redemption: typeof answer.redemption === "number" ? answer.redemption : null,
        // Metered: reservedMsat and balanceMsat.
        ...answer.metered,
      };
      this.notifyPaid(payment);
      return { kind: "serve", payment };
    }
    const reason = { code: answer.error.code, message: answer.error.message };
    const fresh = answer.freshInvoice && answer.challenge ? { ...answer.freshInvoice, challenge: answer.challenge } : undefined;
    // No fresh invoice (the service could not tell which endpoint): mint one ourselves.
    if (!fresh || !isIssuedInvoice(fresh)) return this.challenge(request, html, reason);
    return this.respond402(request, html, fresh, reason, html ? this.branding() : undefined);
  }

  /**
   * Best effort "paid but failed": give the payer's use back so they retry with the same
   * credential. Never rejects; callers do not await it before answering.
   */
  async release(payment: L402Payment, status: number, reason: string): Promise<void> {
    if (payment.redemption === null) {
      this.config.logger.warn("release skipped: verify gave no redemption number");
      return;
    }
    try {
      await this.service.report("release", {
        paymentHash: payment.paymentHash,
        redemption: payment.redemption,
        status,
        reason: reason.slice(0, 500),
      });
    } catch (error) {
      this.config.logger.warn(`release failed: ${describeError(error)}`);
    }
  }

  /** Settles a metered call: 0 when the handler failed. Resolves with the balance after it
   *  (undefined when the service could not be reached: the reservation then lapses back). */
  async settle(payment: L402Payment, call: MeteredCall, failed: boolean): Promise<string | undefined> {
    try {
      return (
        await this.service.report("charge", {
          paymentHash: payment.paymentHash,
          redemption: payment.redemption!,
          amountMsat: failed ? "0" : String(call.chargedMsat),
          description: failed ? undefined : call.description,
        })
      ).balanceMsat;
    } catch (error) {
      this.config.logger.warn(`charge failed: ${describeError(error)}`);
    }
  }

  private async challenge(request: GateRequest, html: boolean, reason?: RefusalReason): Promise<GateOutcome> {
    // Started before the invoice call so the two run side by side.
    if (request.endpoint === undefined) return { kind: "respond", response: unpricedPath() };
    const branding = html ? this.branding() : undefined;
    const price = this.options.priceSats;
    const dynamic = typeof price === "function";
    let issued: IssuedInvoice;
    try {
      const priceSats = dynamic ? price({ method: request.method, path: request.path, url: request.url }) : price;
      issued = await this.service.createInvoice({
        endpoint: request.endpoint,
        path: request.path,
        // undefined fields are left out of the JSON.
        priceSats,
        dynamicPrice: dynamic || undefined,
        ...(this.options.description !== undefined ? { description: this.options.description } : {}),
        payerIp: request.payerIp,
      });
    } catch (error) {
      return this.serviceFailure(error);
    }
    this.noticePriceOverride(issued);
    return this.respond402(request, html, issued, reason, branding);
  }

  /** A price set on the dashboard wins over the code's priceSats: say so, once per endpoint. */
  private noticePriceOverride(issued: IssuedInvoice): void {
    const declared = this.options.priceSats;
    if (
      declared === undefined ||
      typeof declared === "function" ||
      issued.amountSats === declared ||
      this.priceOverrideLogged.has(issued.endpoint)
    )
      return;
    this.priceOverrideLogged.add(issued.endpoint);
    this.config.logger.warn(
      `${issued.endpoint} is priced at ${issued.amountSats} sats on the Tollbooth dashboard; priceSats ${declared} in code is ignored for it.`,
    );
  }

  private async respond402(
    request: GateRequest,
    html: boolean,
    issued: IssuedInvoice,
    reason: RefusalReason | undefined,
    branding: Promise<DiscoveryDocument["tenant"] | undefined> | undefined,
  ): Promise<GateOutcome> {
    const response = paymentRequired({
      issued,
      reason,
      html: html ? { baseUrl: this.config.baseUrl, method: request.method, branding: await branding } : undefined,
    });
    return { kind: "respond", response };
  }

  private branding(): Promise<DiscoveryDocument["tenant"] | undefined> {
    return this.discovery(Math.min(this.config.timeoutMs, BRANDING_TIMEOUT_MS)).then(
      (document) => document.tenant,
      () => undefined,
    );
  }

  private serviceFailure(error: unknown): GateOutcome {
    const { logger, onUnavailable } = this.config;
    if (error instanceof ServiceError && error.kind === "rejected" && error.code === "path_not_covered") {
      return { kind: "respond", response: unpricedPath() };
    }
    // The platform operator suspended this API's tenant: not a set-up mistake of the owner's
    // code (a 500 would say so) and not an outage to let through unpaid. 503, fail closed,
    // whatever onUnavailable says: nothing can be paid for until the operator lifts it.
    if (error instanceof ServiceError && error.kind === "rejected" && error.code === "tenant_suspended") {
      logger.warn(`this Tollbooth tenant is suspended (contact the platform operator), answering 503: ${error.message}`);
      return { kind: "respond", response: serviceUnavailable(SUSPENDED_RETRY_AFTER_SECONDS) };
    }
    if (error instanceof ServiceError && error.kind === "rejected") {
      logger.warn(`service refused our request, answering 500: ${error.message}`);
      return { kind: "respond", response: misconfigured() };
    }
    const retryAfter = error instanceof ServiceError && error.retryAfterSeconds ? error.retryAfterSeconds : UNAVAILABLE_RETRY_AFTER_SECONDS;
    // A definite answer about this payer, not an outage: 429, never let through unpaid.
    if (error instanceof ServiceError && error.kind === "throttled")
      return { kind: "respond", response: serviceUnavailable(retryAfter, true) };
    logger.warn(`${describeError(error)}; ${onUnavailable === "allow" ? "allowing the call unpaid" : "answering 503"}`);
    if (onUnavailable === "allow") return { kind: "serve" };
    return { kind: "respond", response: serviceUnavailable(retryAfter) };
  }

  private notifyPaid(payment: L402Payment): void {
    const { onPaid } = this.options;
    if (!onPaid) return;
    const report = (error: unknown) => this.config.logger.warn(`onPaid threw: ${describeError(error)}`);
    try {
      const result = onPaid({ ...payment });
      if (result && typeof (result as Promise<void>).then === "function") (result as Promise<void>).catch(report);
    } catch (error) {
      report(error);
    }
  }
}
