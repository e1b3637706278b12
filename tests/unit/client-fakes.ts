/**
 * Fakes for the payer-client tests (tests/unit/client-*.test.ts): a paywalled API that
 * mints real L402 tokens and signed BOLT11 invoices with the repo's own L402 protocol
 * (@tollbooth/l402/protocol, via lib/l402) and lib/lightning, Tollbooth's dev wallet, and
 * LND's streaming /v2/router/send. They share one FakeLightning, which knows the preimage of every invoice the paywall issued.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import {
  buildChallenge,
  decodeL402Identifier,
  encodeL402Identifier,
  findL402Macaroon,
  macaroonToBase64,
  mintMacaroon,
  newRootKey,
  newTokenId,
  parseAuthorization,
  preimageMatches,
  verifyMacaroonSignature,
} from "@/lib/l402";
import { createSigner, decodeInvoiceBasic, encodeInvoice, type Bolt11Signer } from "@/lib/lightning/bolt11";

/** The preimage of every invoice issued, by payment hash (hex): what "paying" reveals. */
export class FakeLightning {
  readonly preimageByHash = new Map<string, string>();
  private signerPromise: Promise<Bolt11Signer> | undefined;

  async issueInvoice(amountMsat: bigint | undefined): Promise<{ invoice: string; paymentHash: Uint8Array }> {
    this.signerPromise ??= createSigner(randomBytes(32));
    const signer = await this.signerPromise;
    const preimage = randomBytes(32);
    const paymentHash = sha256(preimage);
    this.preimageByHash.set(bytesToHex(paymentHash), bytesToHex(preimage));
    const invoice = encodeInvoice(
      {
        network: "regtest",
        ...(amountMsat !== undefined ? { amountMsat } : {}),
        timestamp: Math.floor(Date.now() / 1000),
        paymentHash,
        paymentSecret: randomBytes(32),
        description: "client test",
        expirySeconds: 600,
        minFinalCltvExpiry: 80,
        featureBits: [14],
      },
      signer,
    );
    return { invoice, paymentHash };
  }

  /** The preimage of an invoice we issued, or undefined. */
  preimageFor(invoice: string): string | undefined {
    return this.preimageByHash.get(decodeInvoiceBasic(invoice).paymentHash);
  }
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

async function listen(
  handler: (request: IncomingMessage, body: string, response: ServerResponse) => void | Promise<void>,
): Promise<RunningServer> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      Promise.resolve(handler(request, Buffer.concat(chunks).toString("utf8"), response)).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      });
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

export type ChallengeStyle =
  /** `L402 macaroon="...", invoice="..."`: what Tollbooth sends. */
  | "l402"
  /** `Bearer realm="api", LSAT version="0", token="...", invoice="..."`: old scheme, newer spec parameters, another scheme first. */
  | "lsat-token"
  /** No WWW-Authenticate at all: a 402 we cannot act on. */
  | "none";

export interface PaywallOptions {
  lightning: FakeLightning;
  /** What the invoice asks. undefined: an amountless invoice. */
  invoiceSats: number | undefined;
  /** priceSats in the 402 body; defaults to invoiceSats; null leaves it out. */
  advertisedSats?: number | null;
  /** How many paid calls one token serves. Default 1. */
  usesPerPayment?: number;
  challengeStyle?: ChallengeStyle;
}

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface Paywall extends RunningServer {
  /** Every request that reached the server, in order. */
  seen: SeenRequest[];
  /** How many 402 challenges were issued. */
  challengesIssued(): number;
  /** Forgets every root key: every token issued so far is refused from now on. */
  revokeAll(): void;
}

interface IssuedToken {
  rootKey: Uint8Array;
  usesLeft: number;
}

/**
 * Every path costs invoiceSats. A valid credential gets 200 with `{paid:true, method,
 * path, body}`; anything else gets 402 and a fresh challenge, like Tollbooth's middleware.
 */
export async function startPaywall(options: PaywallOptions): Promise<Paywall> {
  const tokens = new Map<string, IssuedToken>(); // by token id (hex)
  const seen: SeenRequest[] = [];
  let challenges = 0;

  const server = await listen(async (request, body, response) => {
    const authorization = request.headers.authorization;
    const path = request.url ?? "/";
    seen.push({ method: request.method ?? "GET", path, authorization, body });

    const refusal = authorization === undefined ? "missing_credential" : redeem(authorization);
    if (refusal === null) {
      sendJson(response, 200, { paid: true, method: request.method, path, body });
      return;
    }
    challenges++;
    const { invoice, paymentHash } = await options.lightning.issueInvoice(
      options.invoiceSats === undefined ? undefined : BigInt(options.invoiceSats) * 1000n,
    );
    const rootKey = newRootKey();
    const tokenId = newTokenId();
    tokens.set(bytesToHex(tokenId), { rootKey, usesLeft: options.usesPerPayment ?? 1 });
    const macaroon = mintMacaroon({ rootKey, identifier: encodeL402Identifier({ paymentHash, tokenId }), caveats: ["services=test:0"] });
    const headers: Record<string, string> = { "cache-control": "no-store" };
    const style = options.challengeStyle ?? "l402";
    if (style === "l402") headers["www-authenticate"] = buildChallenge({ macaroon, invoice });
    if (style === "lsat-token")
      headers["www-authenticate"] = `Bearer realm="api", LSAT version="0", token="${macaroonToBase64(macaroon)}", invoice="${invoice}"`;
    const advertisedSats = options.advertisedSats === undefined ? options.invoiceSats : options.advertisedSats;
    sendJson(
      response,
      402,
      {
        error: "Payment Required",
        ...(advertisedSats !== null ? { priceSats: advertisedSats } : {}),
        ...(refusal !== "missing_credential" ? { reason: { code: refusal } } : {}),
      },
      headers,
    );
  });

  /** null when the credential pays for this call (and uses it up), else why not. */
  function redeem(authorization: string): string | null {
    try {
      const credential = parseAuthorization(authorization);
      const { macaroon, identifier } = findL402Macaroon(credential.macaroons);
      const token = tokens.get(bytesToHex(identifier.tokenId));
      if (!token) return "revoked";
      if (!verifyMacaroonSignature(macaroon, token.rootKey)) return "bad_signature";
      if (!preimageMatches(credential.preimage, decodeL402Identifier(macaroon.identifier).paymentHash)) return "invalid_preimage";
      if (token.usesLeft <= 0) return "used_up";
      token.usesLeft--;
      return null;
    } catch (error) {
      return (error as { code?: string }).code ?? "malformed";
    }
  }

  return {
    ...server,
    seen,
    challengesIssued: () => challenges,
    revokeAll: () => tokens.clear(),
  };
}

export interface FakeDevWallet extends RunningServer {
  /** The invoices it was asked to pay, in order. */
  paid: string[];
}

/** Tollbooth's POST /api/dev/pay: pays invoices the FakeLightning issued, refuses others as the real route does. */
export async function startFakeDevWallet(lightning: FakeLightning): Promise<FakeDevWallet> {
  const paid: string[] = [];
  const server = await listen((request, body, response) => {
    if (request.method !== "POST" || request.url !== "/api/dev/pay") {
      sendJson(response, 404, { error: { type: "invalid_request_error", code: "not_found", message: "No such route." } });
      return;
    }
    const invoice = (JSON.parse(body) as { invoice: string }).invoice;
    paid.push(invoice);
    let preimage: string | undefined;
    try {
      preimage = lightning.preimageFor(invoice);
    } catch (error) {
      sendJson(response, 400, {
        error: {
          type: "invalid_request_error",
          code: "invalid_invoice",
          message: `Not a valid BOLT11 invoice: ${(error as Error).message}`,
        },
      });
      return;
    }
    if (!preimage) {
      sendJson(response, 404, {
        error: { type: "invalid_request_error", code: "unknown_invoice", message: "This invoice was not issued by the simulated node." },
      });
      return;
    }
    const { paymentHash, amountMsat } = decodeInvoiceBasic(invoice);
    sendJson(response, 200, { preimage, paymentHash, amountSats: Number((amountMsat ?? 0n) / 1000n), alreadyPaid: false });
  });
  return { ...server, paid };
}

export type LndBehaviour =
  /** IN_FLIGHT, then SUCCEEDED with the right preimage. */
  | "succeed"
  /** IN_FLIGHT, then FAILED with FAILURE_REASON_NO_ROUTE. */
  | "fail"
  /** IN_FLIGHT, then the stream ends: the outcome is unknown. */
  | "in-flight"
  /** SUCCEEDED with a preimage of some other payment. */
  | "wrong-preimage";

export interface FakeLnd extends RunningServer {
  /** The JSON bodies POSTed to /v2/router/send. */
  sendRequests: Array<Record<string, unknown>>;
}

/** LND's REST POST /v2/router/send: newline-delimited JSON, sent in separate chunks as a real stream is. */
export async function startFakeLnd(lightning: FakeLightning, params: { macaroonHex: string; behaviour: LndBehaviour }): Promise<FakeLnd> {
  const sendRequests: Array<Record<string, unknown>> = [];
  const server = await listen(async (request, body, response) => {
    if (request.method !== "POST" || request.url !== "/v2/router/send") {
      sendJson(response, 404, { code: 5, message: "Not Found", details: [] });
      return;
    }
    // LND answers a bad macaroon with 500 and gRPC code 2, not 401.
    if (request.headers["grpc-metadata-macaroon"] !== params.macaroonHex) {
      sendJson(response, 500, { code: 2, message: "verification failed: signature mismatch after caveat verification", details: [] });
      return;
    }
    const sendRequest = JSON.parse(body) as Record<string, unknown>;
    sendRequests.push(sendRequest);
    const invoice = String(sendRequest.payment_request);
    const { paymentHash } = decodeInvoiceBasic(invoice);
    response.writeHead(200, { "content-type": "application/json" });
    const line = async (result: Record<string, unknown>) => {
      response.write(`${JSON.stringify({ result: { payment_hash: paymentHash, ...result } })}\n`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await line({ status: "IN_FLIGHT", payment_preimage: "0".repeat(64) });
    switch (params.behaviour) {
      case "succeed":
        await line({ status: "SUCCEEDED", payment_preimage: lightning.preimageFor(invoice), failure_reason: "FAILURE_REASON_NONE" });
        break;
      case "fail":
        await line({ status: "FAILED", payment_preimage: "0".repeat(64), failure_reason: "FAILURE_REASON_NO_ROUTE" });
        break;
      case "wrong-preimage":
        await line({ status: "SUCCEEDED", payment_preimage: bytesToHex(randomBytes(32)), failure_reason: "FAILURE_REASON_NONE" });
        break;
      case "in-flight":
        break;
    }
    response.end();
  });
  return { ...server, sendRequests };
}

/** A wallet that pays in-process from FakeLightning's book, counting calls. */
export function inProcessWallet(lightning: FakeLightning) {
  const invoices: string[] = [];
  return {
    invoices,
    async payInvoice({ invoice }: { invoice: string }) {
      invoices.push(invoice);
      const preimage = lightning.preimageFor(invoice);
      if (!preimage) throw new Error("unknown invoice");
      return { preimage };
    },
  };
}
