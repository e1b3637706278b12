/**
 * A stand-in for LND's REST proxy, for adapter tests: no Lightning node can run on these
 * machines. It follows the documented shapes of the four calls lib/lightning/lnd.ts
 * makes (api.lightning.community: AddInvoice, LookupInvoice, SendPaymentV2,
 * TrackPaymentV2) and the gateway's conventions: int64 as JSON strings, bytes as
 * base64, bytes path parameters decoded like Go's padded std-then-URL base64, server
 * streams as newline-delimited `{"result": ...}` objects, errors as `{code, message,
 * details}` (inside a stream, `{"error": {...}}`). Like LND, a missing or wrong macaroon
 * gets 500 with gRPC code 2 (lnd#2332), not 401.
 *
 * Invoices are real BOLT11, signed with the fake node's key. Payments succeed only when
 * the fake knows the invoice's preimage (its own invoices, or ones registered with
 * addRemotePreimage), as a real destination would reject an unknown payment hash.
 */

import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createNobleSigner, decodeInvoiceBasic, encodeInvoice, FEATURE, type Bolt11Network } from "../../lib/lightning/bolt11";

export interface RecordedRequest {
  method: string;
  /** Path and query string as sent. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, if any. */
  body: unknown;
}

type InvoiceState = "OPEN" | "SETTLED" | "CANCELED";

interface FakeInvoice {
  preimage: Buffer;
  paymentHash: Buffer;
  paymentAddr: Buffer;
  bolt11: string;
  memo: string;
  valueMsat: bigint;
  creationDate: number;
  expiry: number;
  addIndex: number;
  state: InvoiceState;
  settleDate: number;
  amtPaidMsat: bigint;
}

export interface FakePayment {
  paymentHashHex: string;
  paymentRequest: string;
  valueMsat: bigint;
  feeMsat: bigint;
  status: "IN_FLIGHT" | "SUCCEEDED" | "FAILED";
  preimageHex: string;
  failureReason: string;
  creationTimeNs: string;
  /** Streams waiting for this payment to finish. */
  waiters: Array<() => void>;
}

/** What the next SendPaymentV2 calls do. */
export type PaymentBehaviour =
  | { kind: "succeed"; feeMsat?: bigint }
  | { kind: "fail"; reason: string }
  /** Stay IN_FLIGHT until release() (HTLCs stuck somewhere on the route). */
  | { kind: "hold" };

export interface FakeLnd {
  url: string;
  macaroonHex: string;
  network: Bolt11Network;
  nodeIdHex: string;
  requests: RecordedRequest[];
  invoices: Map<string, FakeInvoice>;
  payments: Map<string, FakePayment>;
  /** Pays an invoice of the fake's, as if an HTLC with the right preimage arrived. */
  settle(paymentHashHex: string, amountPaidMsat?: bigint): void;
  /** Lets a payment to another node's invoice with this preimage succeed. */
  addRemotePreimage(preimageHex: string): void;
  setPaymentBehaviour(behaviour: PaymentBehaviour): void;
  /** Ends held payments: succeed (fee 0) or fail with a reason. */
  release(outcome: { kind: "succeed" } | { kind: "fail"; reason: string }): void;
  close(): Promise<void>;
}

const FAKE_NODE_KEY = createHash("sha256").update("tollbooth fake lnd node").digest();

export interface FakeLndOptions {
  macaroonHex?: string;
  network?: Bolt11Network;
  /** LND's invoice expiry watcher cancels expired invoices on its own schedule; false holds
   *  them OPEN past their expiry (the window in which a late payment still settles). */
  cancelExpired?: boolean;
}

export async function startFakeLnd(options: FakeLndOptions = {}): Promise<FakeLnd> {
  const macaroonHex = options.macaroonHex ?? `${randomBytes(32).toString("hex")}0201036c6e64`;
  const network = options.network ?? "regtest";
  const signer = createNobleSigner(FAKE_NODE_KEY);
  const requests: RecordedRequest[] = [];
  const invoices = new Map<string, FakeInvoice>();
  const payments = new Map<string, FakePayment>();
  const remotePreimages = new Map<string, Buffer>();
  let behaviour: PaymentBehaviour = { kind: "succeed" };
  let addIndex = 0;

  function now(): number {
    return Math.floor(Date.now() / 1000);
  }

  function addInvoice(body: Record<string, unknown>): FakeInvoice {
    const valueMsat = body.value_msat !== undefined ? BigInt(String(body.value_msat)) : BigInt(String(body.value ?? 0)) * 1000n;
    const expiry = Number(body.expiry ?? 86400);
    const preimage = randomBytes(32);
    const paymentHash = createHash("sha256").update(preimage).digest();
    const paymentAddr = randomBytes(32);
    const creationDate = now();
    const bolt11 = encodeInvoice(
      {
        network,
        ...(valueMsat > 0n ? { amountMsat: valueMsat } : {}),
        timestamp: creationDate,
        paymentHash,
        paymentSecret: paymentAddr,
        description: String(body.memo ?? ""),
        expirySeconds: expiry,
        minFinalCltvExpiry: 80,
        featureBits: [FEATURE.varOnionOptinOptional, FEATURE.paymentSecretCompulsory, FEATURE.basicMppOptional],
      },
      signer,
    );
    const invoice: FakeInvoice = {
      preimage,
      paymentHash,
      paymentAddr,
      bolt11,
      memo: String(body.memo ?? ""),
      valueMsat,
      creationDate,
      expiry,
      addIndex: ++addIndex,
      state: "OPEN",
      settleDate: 0,
      amtPaidMsat: 0n,
    };
    invoices.set(paymentHash.toString("hex"), invoice);
    return invoice;
  }

  function invoiceJson(invoice: FakeInvoice) {
    // LND cancels invoices once they expire.
    if (options.cancelExpired !== false && invoice.state === "OPEN" && invoice.creationDate + invoice.expiry <= now())
      invoice.state = "CANCELED";
    const settled = invoice.state === "SETTLED";
    return {
      memo: invoice.memo,
      r_preimage: invoice.preimage.toString("base64"),
      r_hash: invoice.paymentHash.toString("base64"),
      value: String(invoice.valueMsat / 1000n),
      value_msat: String(invoice.valueMsat),
      settled,
      creation_date: String(invoice.creationDate),
      settle_date: String(invoice.settleDate),
      payment_request: invoice.bolt11,
      description_hash: null,
      expiry: String(invoice.expiry),
      fallback_addr: "",
      cltv_expiry: "80",
      route_hints: [],
      private: false,
      add_index: String(invoice.addIndex),
      settle_index: settled ? "1" : "0",
      amt_paid: String(invoice.amtPaidMsat / 1000n),
      amt_paid_sat: String(invoice.amtPaidMsat / 1000n),
      amt_paid_msat: String(invoice.amtPaidMsat),
      state: invoice.state,
      htlcs: [],
      features: {},
      is_keysend: false,
      payment_addr: invoice.paymentAddr.toString("base64"),
      is_amp: false,
      amp_invoice_state: {},
    };
  }

  function paymentJson(payment: FakePayment) {
    return {
      payment_hash: payment.paymentHashHex,
      value: String(payment.valueMsat / 1000n),
      creation_date: String(Math.floor(Number(BigInt(payment.creationTimeNs) / 1_000_000_000n))),
      fee: String(payment.feeMsat / 1000n),
      payment_preimage: payment.preimageHex,
      value_sat: String(payment.valueMsat / 1000n),
      value_msat: String(payment.valueMsat),
      payment_request: payment.paymentRequest,
      status: payment.status,
      fee_sat: String(payment.feeMsat / 1000n),
      fee_msat: String(payment.feeMsat),
      creation_time_ns: payment.creationTimeNs,
      htlcs: [],
      payment_index: "1",
      failure_reason: payment.failureReason,
    };
  }

  function finish(payment: FakePayment, outcome: { kind: "succeed"; feeMsat?: bigint } | { kind: "fail"; reason: string }) {
    if (outcome.kind === "fail") {
      payment.status = "FAILED";
      payment.failureReason = outcome.reason;
    } else {
      const own = invoices.get(payment.paymentHashHex);
      const preimage = own?.preimage ?? remotePreimages.get(payment.paymentHashHex);
      if (!preimage) {
        // The destination does not know this payment hash.
        payment.status = "FAILED";
        payment.failureReason = "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS";
      } else {
        payment.status = "SUCCEEDED";
        payment.preimageHex = preimage.toString("hex");
        payment.feeMsat = outcome.feeMsat ?? 0n;
        if (own) settleInvoice(own, payment.valueMsat);
      }
    }
    for (const wake of payment.waiters.splice(0)) wake();
  }

  function settleInvoice(invoice: FakeInvoice, amountPaidMsat: bigint) {
    invoice.state = "SETTLED";
    invoice.settleDate = now();
    invoice.amtPaidMsat = amountPaidMsat;
  }

  async function handle(request: IncomingMessage, response: ServerResponse, body: unknown) {
    const url = new URL(request.url ?? "/", "http://fake");
    const macaroon = request.headers["grpc-metadata-macaroon"];
    if (typeof macaroon !== "string" || !macaroon) return sendJson(response, 500, grpcError(2, "expected 1 macaroon, got 0"));
    if (macaroon.toLowerCase() !== macaroonHex.toLowerCase()) {
      return sendJson(response, 500, grpcError(2, "verification failed: signature mismatch after caveat verification"));
    }

    if (request.method === "POST" && url.pathname === "/v1/invoices") {
      const invoice = addInvoice((body ?? {}) as Record<string, unknown>);
      return sendJson(response, 200, {
        r_hash: invoice.paymentHash.toString("base64"),
        payment_request: invoice.bolt11,
        add_index: String(invoice.addIndex),
        payment_addr: invoice.paymentAddr.toString("base64"),
      });
    }

    const lookup = /^\/v1\/invoice\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && lookup) {
      const hashHex = lookup[1]!;
      if (!/^[0-9a-fA-F]{64}$/.test(hashHex)) return sendJson(response, 500, grpcError(2, "encoding/hex: invalid byte"));
      const invoice = invoices.get(hashHex.toLowerCase());
      if (!invoice) return sendJson(response, 404, grpcError(5, "unable to locate invoice"));
      return sendJson(response, 200, invoiceJson(invoice));
    }

    if (request.method === "POST" && url.pathname === "/v2/router/send") {
      const sendRequest = (body ?? {}) as Record<string, unknown>;
      let decoded;
      try {
        decoded = decodeInvoiceBasic(String(sendRequest.payment_request ?? ""));
      } catch (error) {
        return sendJson(response, 400, { error: grpcError(3, `invalid payment request: ${(error as Error).message}`) });
      }
      const existing = payments.get(decoded.paymentHash);
      if (existing && existing.status === "SUCCEEDED") return sendJson(response, 409, { error: grpcError(6, "invoice is already paid") });
      if (existing && existing.status === "IN_FLIGHT") return sendJson(response, 409, { error: grpcError(6, "payment is in transition") });
      const payment: FakePayment = {
        paymentHashHex: decoded.paymentHash,
        paymentRequest: String(sendRequest.payment_request),
        valueMsat: decoded.amountMsat ?? 0n,
        feeMsat: 0n,
        status: "IN_FLIGHT",
        preimageHex: "0".repeat(64),
        failureReason: "FAILURE_REASON_NONE",
        creationTimeNs: String(BigInt(Date.now()) * 1_000_000n),
        waiters: [],
      };
      payments.set(decoded.paymentHash, payment);
      const inflightUpdates = sendRequest.no_inflight_updates !== true;
      startStream(response);
      if (inflightUpdates) writeLine(response, { result: paymentJson(payment) });
      if (behaviour.kind === "hold") {
        await waitUntilDone(payment, request);
      } else {
        finish(payment, behaviour);
      }
      if (!response.destroyed) {
        writeLine(response, { result: paymentJson(payment) });
        response.end();
      }
      return;
    }

    if (request.method === "GET" && url.pathname === "/v1/balance/channels") {
      // ChannelBalance: what the channels hold on our side (settled in, less paid out with fees).
      let localMsat = 0n;
      for (const invoice of invoices.values()) if (invoice.state === "SETTLED") localMsat += invoice.amtPaidMsat;
      for (const payment of payments.values()) if (payment.status !== "FAILED") localMsat -= payment.valueMsat + payment.feeMsat;
      return sendJson(response, 200, {
        balance: String(localMsat / 1000n),
        local_balance: { sat: String(localMsat / 1000n), msat: localMsat.toString() },
        remote_balance: { sat: "0", msat: "0" },
      });
    }

    const track = /^\/v2\/router\/track\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && track) {
      const hash = goBytesParam(decodeURIComponent(track[1]!));
      if (hash?.length !== 32) return sendJson(response, 400, { error: grpcError(3, "invalid hash length") });
      const payment = payments.get(hash.toString("hex"));
      if (!payment) return sendJson(response, 404, { error: grpcError(5, "payment isn't initiated") });
      const inflightUpdates = url.searchParams.get("no_inflight_updates") !== "true";
      startStream(response);
      if (payment.status === "IN_FLIGHT") {
        if (inflightUpdates) writeLine(response, { result: paymentJson(payment) });
        await waitUntilDone(payment, request);
      }
      if (!response.destroyed) {
        writeLine(response, { result: paymentJson(payment) });
        response.end();
      }
      return;
    }

    return sendJson(response, 404, grpcError(5, "Not Found"));
  }

  const server = createServer((request, response) => {
    void readBody(request).then(
      async (body) => {
        requests.push({ method: request.method ?? "", path: request.url ?? "", headers: { ...request.headers }, body });
        await handle(request, response, body);
      },
      () => sendJson(response, 400, grpcError(3, "request body is not JSON")),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    macaroonHex,
    network,
    nodeIdHex: Buffer.from(signer.publicKey).toString("hex"),
    requests,
    invoices,
    payments,
    settle(paymentHashHex, amountPaidMsat) {
      const invoice = invoices.get(paymentHashHex);
      if (!invoice) throw new Error(`fake lnd has no invoice ${paymentHashHex}`);
      settleInvoice(invoice, amountPaidMsat ?? invoice.valueMsat);
    },
    addRemotePreimage(preimageHex) {
      const preimage = Buffer.from(preimageHex, "hex");
      remotePreimages.set(createHash("sha256").update(preimage).digest("hex"), preimage);
    },
    setPaymentBehaviour(next) {
      behaviour = next;
    },
    release(outcome) {
      for (const payment of payments.values()) if (payment.status === "IN_FLIGHT") finish(payment, outcome);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const payment of payments.values()) for (const wake of payment.waiters.splice(0)) wake();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function waitUntilDone(payment: FakePayment, request: IncomingMessage): Promise<void> {
  return new Promise<void>((resolve) => {
    payment.waiters.push(resolve);
    request.socket.once("close", resolve); // the client hung up
  });
}

/** grpc-gateway's runtime.Bytes: padded std base64, then padded URL-safe base64. */
function goBytesParam(value: string): Buffer | null {
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0) return Buffer.from(value, "base64");
  if (/^[A-Za-z0-9_-]*={0,2}$/.test(value) && value.length % 4 === 0) return Buffer.from(value, "base64url");
  return null;
}

function grpcError(code: number, message: string) {
  return { code, message, details: [] };
}

function startStream(response: ServerResponse) {
  response.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
  response.flushHeaders();
}

function writeLine(response: ServerResponse, value: unknown) {
  if (!response.destroyed) response.write(`${JSON.stringify(value)}\n`);
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
