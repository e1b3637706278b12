/**
 * A stand-in for the Tollbooth service, answering the calls the middleware makes
 * (docs/middleware-protocol.md) on a real loopback port: invoices, verify (with single-use
 * redemption), release and discovery. Tests and the latency bench use it;
 * tests/integration/middleware-contract.test.ts runs the same scenarios against this fake
 * and the real service, so the two cannot drift apart.
 *
 * Tokens are real V2 macaroons with real 66-byte L402 identifiers (signature bytes are
 * random: the middleware never checks them). `pay(invoice)` plays the wallet: it returns
 * the preimage, as the dev wallet does.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { findL402Token, parseAuthorization } from "../src/shared/authorization.js";
import { buildChallenge } from "../src/shared/challenge.js";
import { encodeL402Identifier } from "../src/shared/l402-identifier.js";
import { macaroonToBase64 } from "../src/shared/macaroon.js";

export const FAKE_API_KEY = "tb_test_fakeservicekey0123456789abcdefABCDEF";

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

interface Token {
  preimage: Buffer;
  endpoint: string;
  amountSats: number;
  usesAllowed: number;
  usesConsumed: number;
  /** Redemptions ever made: never goes down (a release lowers usesConsumed only), as the real service counts. */
  redemptions: number;
  released: Set<number>;
  /** A metered endpoint's deposit or top-up: the balance it credits once paid. */
  balance?: FakeBalance;
  credited?: boolean;
}

/** A prepaid balance, as the real service keeps it: total = deposited - spent. */
interface FakeBalance {
  availableMsat: number;
  totalMsat: number;
}

export interface FakeServiceOptions {
  /** Milliseconds before answering verify. */
  verifyDelayMs?: number;
  usesPerPayment?: number;
  tenant?: { name: string; slug: string; logoUrl: string | null; accentColor: string | null };
}

/** Per route: answer this status (with a JSON error) instead of the real answer, for the next `times` calls. */
export type Override = { status: number; times: number; body?: unknown; headers?: Record<string, string> };

/** A V2 binary macaroon: location, identifier, caveats, signature (random: nobody checks it here). */
export function fakeMacaroon(identifier: Uint8Array, caveats: string[] = [], location = "tollbooth"): string {
  return macaroonToBase64({ location, identifier, caveats, signature: new Uint8Array(randomBytes(32)) });
}

export class FakeService {
  readonly calls: RecordedCall[] = [];
  readonly overrides = new Map<string, Override>();
  readonly tokens = new Map<string, Token>();
  /** Endpoints sold as prepaid balances ("GET /llm" → the most one call may cost). */
  readonly metered = new Map<string, { maxCostPerCallMsat: number }>();
  private readonly reservations = new Map<string, { balance: FakeBalance; reservedMsat: number; chargedMsat?: number }>();
  private readonly preimageByInvoice = new Map<string, string>();
  private server?: Server;
  url = "";

  constructor(readonly options: FakeServiceOptions = {}) {}

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Like undici's pool: keep idle connections around between calls.
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  callsTo(path: string): RecordedCall[] {
    return this.calls.filter((call) => call.path === path);
  }

  /** The wallet: the preimage that pays this invoice (hex). */
  pay(invoice: string): string {
    const preimage = this.preimageByInvoice.get(invoice);
    if (!preimage) throw new Error("unknown invoice");
    return preimage;
  }

  /** Mint an invoice and token without going through HTTP. */
  issue(endpoint: string, amountSats = 10, topUpOf?: FakeBalance) {
    const metered = this.metered.get(endpoint);
    const preimage = randomBytes(32);
    const paymentHash = createHash("sha256").update(preimage).digest();
    const identifier = encodeL402Identifier({ paymentHash, tokenId: randomBytes(32) });
    const macaroon = fakeMacaroon(identifier, [`endpoint=${endpoint}`, "uses=1"]);
    const invoice = `lntb${amountSats * 10}n1p${randomBytes(40).toString("hex")}`;
    const hashHex = paymentHash.toString("hex");
    this.tokens.set(hashHex, {
      preimage,
      endpoint,
      amountSats,
      usesAllowed: this.options.usesPerPayment ?? 1,
      usesConsumed: 0,
      redemptions: 0,
      released: new Set(),
      ...(metered ? { balance: topUpOf ?? { availableMsat: 0, totalMsat: 0 }, usesAllowed: Number.MAX_SAFE_INTEGER } : {}),
    });
    this.preimageByInvoice.set(invoice, preimage.toString("hex"));
    return {
      paymentHash: hashHex,
      invoice,
      macaroon,
      amountSats,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      challenge: buildChallenge({ macaroon, invoice }),
      endpoint,
      ...(metered
        ? {
            prepaid: {
              kind: topUpOf ? "top_up" : "deposit",
              balanceMsat: String(topUpOf?.totalMsat ?? 0),
              maxCostPerCallSats: metered.maxCostPerCallMsat / 1000,
            },
          }
        : {}),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const path = (req.url ?? "/").split("?")[0]!;
    const body = text ? JSON.parse(text) : undefined;
    this.calls.push({ method: req.method ?? "GET", path, body, authorization: req.headers.authorization });

    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(json));
    };
    const override = this.overrides.get(path);
    if (override && override.times > 0) {
      override.times--;
      return send(
        override.status,
        override.body ?? { error: { type: "api_error", code: "overridden", message: `fake ${override.status}` } },
        override.headers,
      );
    }
    if (req.headers.authorization !== `Bearer ${FAKE_API_KEY}`) {
      return send(401, { error: { type: "authentication_error", code: "invalid_api_key", message: "Invalid API key." } });
    }

    // The wallet, over HTTP, for callers in another process (the latency bench).
    if (req.method === "POST" && path === "/_fake/pay") {
      return send(200, { preimage: this.pay(body.invoice) });
    }
    if (req.method === "POST" && path === "/api/v1/invoices") {
      return send(201, this.issue(body.endpoint, body.priceSats ?? 10));
    }
    if (req.method === "POST" && path === "/api/v1/l402/verify") {
      if (this.options.verifyDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.verifyDelayMs));
      return send(...this.verify(body));
    }
    if (req.method === "POST" && path === "/api/v1/l402/release") {
      const token = this.tokens.get(body.paymentHash);
      if (!token || !(body.redemption >= 1 && body.redemption <= token.redemptions)) {
        return send(404, { error: { type: "not_found_error", code: "redemption_not_found", message: "No such redemption." } });
      }
      if (token.released.has(body.redemption)) return send(200, { released: false, reason: "already_released" });
      token.released.add(body.redemption);
      token.usesConsumed--;
      return send(200, { released: true, remainingUses: token.usesAllowed - token.usesConsumed });
    }
    if (req.method === "POST" && path === "/api/v1/l402/charge") {
      const reservation = this.reservations.get(`${body.paymentHash}:${body.redemption}`);
      if (!reservation) return send(404, { error: { type: "not_found_error", code: "reservation_not_found", message: "No such call." } });
      const { balance } = reservation;
      if (reservation.chargedMsat !== undefined)
        return send(200, { applied: false, chargedMsat: String(reservation.chargedMsat), balanceMsat: String(balance.totalMsat) });
      const charged = Math.min(Number(body.amountMsat), reservation.reservedMsat);
      reservation.chargedMsat = charged;
      balance.availableMsat += reservation.reservedMsat - charged;
      balance.totalMsat -= charged;
      return send(200, { applied: true, chargedMsat: String(charged), balanceMsat: String(balance.totalMsat) });
    }
    if (req.method === "GET" && path === "/api/v1/discovery") {
      return send(200, {
        version: 1,
        protocol: "L402",
        tenant: this.options.tenant ?? {
          name: "Acme Weather",
          slug: "acme",
          logoUrl: "https://acme.example/logo.png",
          accentColor: "#0a7cff",
        },
        endpoints: [
          { method: "GET", path: "/premium", priceSats: 10, description: "Premium data", usesPerPayment: 1, tokenLifetimeSeconds: 3600 },
        ],
        payment: {
          currency: "BTC",
          unit: "sats",
          network: "lightning",
          howToPay: "Pay the invoice, retry with Authorization: L402 <macaroon>:<preimage>.",
        },
      });
    }
    send(404, { error: { type: "not_found_error", code: "not_found", message: "No such route." } });
  }

  /** A metered token: credit its deposit once, then reserve the endpoint's maximum. */
  private reserve(paymentHash: string, token: Token, balance: FakeBalance): [number, unknown] {
    if (!token.credited) {
      token.credited = true;
      balance.availableMsat += token.amountSats * 1000;
      balance.totalMsat += token.amountSats * 1000;
    }
    const need = this.metered.get(token.endpoint)?.maxCostPerCallMsat ?? balance.availableMsat;
    if (balance.availableMsat === 0 || balance.availableMsat < need) {
      const fresh = this.issue(token.endpoint, token.amountSats, balance);
      const message = "The balance is too low for this call: pay the top-up invoice.";
      return [
        402,
        {
          valid: false,
          error: { type: "payment_required", code: "insufficient_balance", message },
          challenge: fresh.challenge,
          freshInvoice: fresh,
        },
      ];
    }
    token.redemptions++;
    balance.availableMsat -= need;
    this.reservations.set(`${paymentHash}:${token.redemptions}`, { balance, reservedMsat: need });
    return [
      200,
      {
        valid: true,
        paymentHash,
        amountSats: token.amountSats,
        endpoint: token.endpoint,
        remainingUses: null,
        redemption: token.redemptions,
        metered: { reservedMsat: String(need), balanceMsat: String(balance.totalMsat) },
      },
    ];
  }

  private verify(body: { authorization: string; method?: string; path?: string }): [number, unknown] {
    if (typeof body.method !== "string" || typeof body.path !== "string") {
      return [400, { error: { type: "invalid_request_error", code: "invalid_parameter", message: "method and path are required." } }];
    }
    const refuse = (code: string, message: string, endpoint?: string) => {
      const fresh = endpoint ? this.issue(endpoint) : undefined;
      return [
        402,
        {
          valid: false,
          error: { type: "payment_required", code, message },
          ...(fresh ? { challenge: fresh.challenge, freshInvoice: fresh } : {}),
        },
      ] as [number, unknown];
    };
    let paymentHash: string;
    let preimage: Uint8Array;
    try {
      const credential = parseAuthorization(body.authorization);
      paymentHash = Buffer.from(findL402Token(credential.macaroons).identifier.paymentHash).toString("hex");
      preimage = credential.preimage;
    } catch (error) {
      return refuse("malformed_credential", (error as Error).message);
    }
    const token = this.tokens.get(paymentHash);
    if (!token) return refuse("unknown_token", "This token was not issued for your tenant.");
    if (!Buffer.from(preimage).equals(token.preimage)) return refuse("unpaid", "The preimage does not match.", token.endpoint);
    if (token.balance) return this.reserve(paymentHash, token, token.balance);
    if (token.usesConsumed >= token.usesAllowed) return refuse("used_up", "This token has been used up: pay again.", token.endpoint);
    token.usesConsumed++;
    token.redemptions++;
    return [
      200,
      {
        valid: true,
        paymentHash,
        amountSats: token.amountSats,
        endpoint: token.endpoint,
        remainingUses: token.usesAllowed - token.usesConsumed,
        redemption: token.redemptions,
      },
    ];
  }
}
