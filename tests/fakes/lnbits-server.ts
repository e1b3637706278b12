/**
 * A stand-in for one LNbits wallet's API, for adapter tests: no Lightning node or LNbits
 * can run on these machines. It follows LNbits' documented shapes (lnbits/core/views/
 * payment_api.py): `X-Api-Key` with the wallet's invoice or admin key (401 `{detail}`
 * otherwise); POST /api/v1/payments creates (`out` defaults to TRUE there, so a create
 * without `out:false` is treated as a payment attempt) or pays (admin key only, else
 * 403); GET /api/v1/payments/{hash} answers `{paid, status, preimage, details}` or 404.
 * `flavor` picks the create answer: "1.x" returns the Payment (`bolt11`), "0.x" the old
 * `{payment_hash, payment_request, checking_id}`; 0.x also dates details in unix seconds.
 * Payment errors are 520 `{detail, status}` as LNbits' PaymentError handler sends them.
 */

import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createNobleSigner, decodeInvoiceBasic, encodeInvoice, FEATURE, type Bolt11Network } from "../../lib/lightning/bolt11";
import type { RecordedRequest } from "./lnd-server";

export type { RecordedRequest };

export interface FakeLnbitsPayment {
  paymentHashHex: string;
  bolt11: string;
  /** msat; negative for outgoing, as LNbits stores it. */
  amountMsat: bigint;
  feeMsat: bigint;
  status: "pending" | "success" | "failed";
  preimageHex: string | null;
  memo: string;
  /** Unix seconds. */
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
}

export type LnbitsPaymentBehaviour =
  | { kind: "succeed"; feeMsat?: bigint }
  /** 520 {detail, status:"failed"}, as on a routing failure or insufficient balance. */
  | { kind: "fail"; detail: string }
  /** Accepted but stays pending until settleOutgoing/failOutgoing. */
  | { kind: "pending" };

export interface FakeLnbits {
  url: string;
  invoiceKey: string;
  adminKey: string;
  network: Bolt11Network;
  requests: RecordedRequest[];
  payments: Map<string, FakeLnbitsPayment>;
  /** Marks an incoming invoice paid (an HTLC with the right preimage arrived). */
  settle(paymentHashHex: string): void;
  addRemotePreimage(preimageHex: string): void;
  setPaymentBehaviour(behaviour: LnbitsPaymentBehaviour): void;
  /** Finishes a pending outgoing payment. */
  finishOutgoing(paymentHashHex: string, outcome: "success" | "failed"): void;
  close(): Promise<void>;
}

const FAKE_NODE_KEY = createHash("sha256").update("tollbooth fake lnbits funding node").digest();

export async function startFakeLnbits(options: { flavor?: "1.x" | "0.x"; network?: Bolt11Network } = {}): Promise<FakeLnbits> {
  const flavor = options.flavor ?? "1.x";
  const network = options.network ?? "regtest";
  const invoiceKey = randomBytes(16).toString("hex");
  const adminKey = randomBytes(16).toString("hex");
  const signer = createNobleSigner(FAKE_NODE_KEY);
  const requests: RecordedRequest[] = [];
  const payments = new Map<string, FakeLnbitsPayment>();
  const preimages = new Map<string, Buffer>();
  let behaviour: LnbitsPaymentBehaviour = { kind: "succeed" };

  const now = () => Math.floor(Date.now() / 1000);

  function date(seconds: number): string | number {
    return flavor === "0.x" ? seconds : new Date(seconds * 1000).toISOString().replace("Z", "+00:00");
  }

  function paymentModel(payment: FakeLnbitsPayment) {
    return {
      checking_id: payment.paymentHashHex,
      payment_hash: payment.paymentHashHex,
      wallet_id: "wallet-1",
      amount: Number(payment.amountMsat),
      fee: Number(payment.feeMsat),
      bolt11: payment.bolt11,
      status: payment.status,
      memo: payment.memo,
      expiry: date(payment.expiresAt),
      preimage: payment.preimageHex ?? "0".repeat(64),
      time: date(payment.createdAt),
      created_at: date(payment.createdAt),
      updated_at: date(payment.updatedAt),
      extra: {},
    };
  }

  function createIncoming(body: Record<string, unknown>, response: ServerResponse) {
    const amount = body.amount;
    if (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0) {
      return sendJson(response, 400, { detail: "Amount must be a positive whole number of sats." });
    }
    if (body.unit !== undefined && body.unit !== "sat") return sendJson(response, 400, { detail: "The provided unit is not supported" });
    const expiry = typeof body.expiry === "number" ? body.expiry : 3600;
    const preimage = randomBytes(32);
    const paymentHash = createHash("sha256").update(preimage).digest();
    const createdAt = now();
    const memo = typeof body.memo === "string" ? body.memo : "";
    const bolt11 = encodeInvoice(
      {
        network,
        amountMsat: BigInt(amount) * 1000n,
        timestamp: createdAt,
        paymentHash,
        paymentSecret: randomBytes(32),
        description: memo,
        expirySeconds: expiry,
        minFinalCltvExpiry: 80,
        featureBits: [FEATURE.varOnionOptinOptional, FEATURE.paymentSecretCompulsory, FEATURE.basicMppOptional],
      },
      signer,
    );
    const hashHex = paymentHash.toString("hex");
    preimages.set(hashHex, preimage);
    const payment: FakeLnbitsPayment = {
      paymentHashHex: hashHex,
      bolt11,
      amountMsat: BigInt(amount) * 1000n,
      feeMsat: 0n,
      status: "pending",
      preimageHex: null,
      memo,
      createdAt,
      expiresAt: createdAt + expiry,
      updatedAt: createdAt,
    };
    payments.set(hashHex, payment);
    if (flavor === "0.x") {
      return sendJson(response, 201, { payment_hash: hashHex, payment_request: bolt11, checking_id: hashHex, lnurl_response: null });
    }
    return sendJson(response, 201, paymentModel(payment));
  }

  function payOutgoing(body: Record<string, unknown>, response: ServerResponse) {
    if (typeof body.bolt11 !== "string" || !body.bolt11) return sendJson(response, 400, { detail: "Missing BOLT11 invoice" });
    let decoded;
    try {
      decoded = decodeInvoiceBasic(body.bolt11);
    } catch (error) {
      return sendJson(response, 400, { detail: `Failed to decode: ${(error as Error).message}` });
    }
    if (decoded.amountMsat === null) return sendJson(response, 400, { detail: "Amountless invoices not supported." });
    const existing = payments.get(decoded.paymentHash);
    if (existing && existing.amountMsat < 0n && existing.status !== "failed") {
      return sendJson(response, 520, { detail: "Payment already exists.", status: "failed" });
    }
    if (behaviour.kind === "fail") return sendJson(response, 520, { detail: behaviour.detail, status: "failed" });

    const createdAt = now();
    const payment: FakeLnbitsPayment = {
      paymentHashHex: decoded.paymentHash,
      bolt11: body.bolt11,
      amountMsat: -decoded.amountMsat,
      feeMsat: 0n,
      status: "pending",
      preimageHex: null,
      memo: decoded.description ?? "",
      createdAt,
      expiresAt: decoded.expiresAt,
      updatedAt: createdAt,
    };
    payments.set(decoded.paymentHash, payment);
    if (behaviour.kind === "succeed") {
      const preimage = preimages.get(decoded.paymentHash);
      if (!preimage) {
        payment.status = "failed";
        return sendJson(response, 520, { detail: "Payment failed: incorrect or unknown payment details", status: "failed" });
      }
      payment.status = "success";
      payment.preimageHex = preimage.toString("hex");
      payment.feeMsat = -(behaviour.feeMsat ?? 0n);
    }
    if (flavor === "0.x") return sendJson(response, 201, { payment_hash: decoded.paymentHash, checking_id: decoded.paymentHash });
    return sendJson(response, 201, paymentModel(payment));
  }

  function check(hashHex: string, apiKey: string | undefined, response: ServerResponse) {
    const payment = payments.get(hashHex.toLowerCase());
    if (!payment) return sendJson(response, 404, { detail: "Payment does not exist." });
    const withDetails = apiKey === invoiceKey || apiKey === adminKey;
    const details = withDetails ? { details: paymentModel(payment) } : {};
    if (payment.status === "success") return sendJson(response, 200, { paid: true, preimage: payment.preimageHex, ...details });
    if (payment.status === "failed") return sendJson(response, 200, { paid: false, status: "failed", ...details });
    return sendJson(response, 200, { paid: false, status: "pending", preimage: "0".repeat(64), ...details });
  }

  const server = createServer((request, response) => {
    void readBody(request).then(
      (body) => {
        requests.push({ method: request.method ?? "", path: request.url ?? "", headers: { ...request.headers }, body });
        const url = new URL(request.url ?? "/", "http://fake");
        const apiKey = typeof request.headers["x-api-key"] === "string" ? request.headers["x-api-key"] : undefined;

        const checkPath = /^\/api\/v1\/payments\/([0-9a-fA-F]{64})$/.exec(url.pathname);
        if (request.method === "GET" && checkPath) {
          // This route works without a key too (then without details), as in LNbits.
          if (apiKey !== undefined && apiKey !== invoiceKey && apiKey !== adminKey)
            return sendJson(response, 401, { detail: "Invalid key or wallet." });
          return check(checkPath[1]!, apiKey, response);
        }
        if (request.method === "GET" && url.pathname === "/api/v1/wallet") {
          // The wallet's balance in msat: settled incoming less settled and pending outgoing
          // (LNbits reserves a payment's amount while it is pending), fees included.
          if (apiKey !== invoiceKey && apiKey !== adminKey) return sendJson(response, 401, { detail: "Invalid key or wallet." });
          let balance = 0n;
          for (const payment of payments.values()) {
            if (payment.amountMsat > 0n && payment.status === "success") balance += payment.amountMsat;
            if (payment.amountMsat < 0n && payment.status !== "failed") balance += payment.amountMsat + payment.feeMsat; // both negative
          }
          return sendJson(response, 200, { id: "fake-wallet", name: "Tollbooth", balance: Number(balance) });
        }
        if (request.method === "POST" && url.pathname === "/api/v1/payments") {
          if (!apiKey) return sendJson(response, 401, { detail: "No Api Key provided." });
          if (apiKey !== invoiceKey && apiKey !== adminKey) return sendJson(response, 401, { detail: "Invalid key or wallet." });
          const data = (body ?? {}) as Record<string, unknown>;
          const out = data.out ?? true; // LNbits' CreateInvoice: out defaults to true
          if (out === false) return createIncoming(data, response);
          if (apiKey !== adminKey) return sendJson(response, 403, { detail: "Invoice (or Admin) key required." });
          return payOutgoing(data, response);
        }
        return sendJson(response, 404, { detail: "Not Found" });
      },
      () => sendJson(response, 400, { detail: "request body is not JSON" }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    invoiceKey,
    adminKey,
    network,
    requests,
    payments,
    settle(paymentHashHex) {
      const payment = payments.get(paymentHashHex);
      if (!payment || payment.amountMsat < 0n) throw new Error(`fake lnbits has no incoming invoice ${paymentHashHex}`);
      payment.status = "success";
      payment.preimageHex = preimages.get(paymentHashHex)!.toString("hex");
      payment.updatedAt = now();
    },
    addRemotePreimage(preimageHex) {
      const preimage = Buffer.from(preimageHex, "hex");
      preimages.set(createHash("sha256").update(preimage).digest("hex"), preimage);
    },
    setPaymentBehaviour(next) {
      behaviour = next;
    },
    finishOutgoing(paymentHashHex, outcome) {
      const payment = payments.get(paymentHashHex);
      if (!payment || payment.amountMsat >= 0n) throw new Error(`fake lnbits has no outgoing payment ${paymentHashHex}`);
      payment.status = outcome;
      payment.updatedAt = now();
      if (outcome === "success") payment.preimageHex = preimages.get(paymentHashHex)?.toString("hex") ?? randomBytes(32).toString("hex");
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function sendJson(response: ServerResponse, status: number, value: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}
