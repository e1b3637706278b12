/**
 * The simulated Lightning node: the default backend and the one behind every test-mode
 * key. It is a simulation, not a node: it never touches the Lightning network. It signs
 * real BOLT11 invoices (they decode and verify in any wallet library), keeps each
 * preimage in `simulated_invoices`, and an invoice gets "paid" only through the dev
 * wallet (paySimulatedInvoice), which reveals the preimage exactly as a real payment
 * would.
 */

import { createHash, randomBytes } from "node:crypto";
import { pooledRandomBytes } from "../crypto/random-pool";
import { hotExecute, type Db, type HotStatement } from "../db/client";
import { AppError } from "../errors";
import {
  LightningError,
  type CreateInvoiceInput,
  type CreatedInvoice,
  type IncomingInvoiceStatus,
  type LightningBackend,
  type OutgoingPaymentStatus,
  type PayInvoiceInput,
} from "./backend";
import {
  FEATURE,
  INVOICE_PREFIX_BY_NETWORK,
  createSigner,
  decodeInvoiceBasic,
  encodeInvoice,
  type Bolt11Network,
  type Bolt11Signer,
  type DecodedInvoice,
  type InvoiceFields,
} from "./bolt11";

export interface SimulatedBackendOptions {
  network: Bolt11Network;
  /** 32 bytes. Default: SIMULATED_NODE_KEY (hex) or the well-known development key. */
  nodePrivateKey?: Uint8Array;
}

/**
 * What current payers require of an invoice: var_onion_optin (9) and payment_secret
 * (14, compulsory; LND, CLN and Eclair refuse invoices without a payment secret), plus
 * basic_mpp (17) as LND writes it. The same set LND puts in its own invoices.
 */
const INVOICE_FEATURE_BITS = [FEATURE.varOnionOptinOptional, FEATURE.paymentSecretCompulsory, FEATURE.basicMppOptional] as const;
/** LND's default final CLTV delta; BOLT11 wants writers to state it. */
const MIN_FINAL_CLTV_EXPIRY = 80;

/**
 * The node's key when nothing is configured. It is public on purpose: the simulated node
 * holds no funds, and a fixed key keeps its node id stable across restarts and machines.
 * Anyone can sign invoices with it, which is why the dev wallet only pays invoices whose
 * exact bolt11 string is in our table, never anything that merely verifies.
 */
export const DEVELOPMENT_NODE_PRIVATE_KEY: Uint8Array = createHash("sha256").update("tollbooth simulated node").digest();

export function simulatedNodePrivateKey(env: Readonly<Record<string, string | undefined>> = process.env): Uint8Array {
  const configuredHex = env.SIMULATED_NODE_KEY?.trim();
  if (!configuredHex) return DEVELOPMENT_NODE_PRIVATE_KEY;
  if (!/^[0-9a-fA-F]{64}$/.test(configuredHex)) {
    throw new Error("SIMULATED_NODE_KEY must be 64 hex characters (a 32-byte secp256k1 private key)");
  }
  return Uint8Array.from(Buffer.from(configuredHex, "hex"));
}

/** On the hot path (every invoice): a prepared statement through pg (see lib/db/client.ts). */
const INSERT_SIMULATED_INVOICE: HotStatement = {
  name: "tb_simulated_invoice_insert",
  text: `INSERT INTO simulated_invoices (payment_hash, preimage, bolt11, amount_msat, expires_at)
         VALUES ($1, $2, $3, $4::bigint, $5::timestamptz)`,
};

/** The simulated LNURL-pay server's invoices: the payee's, not the node's (external). */
const INSERT_EXTERNAL_SIMULATED_INVOICE: HotStatement = {
  name: "tb_simulated_external_invoice_insert",
  text: `INSERT INTO simulated_invoices (payment_hash, preimage, bolt11, amount_msat, expires_at, external)
         VALUES ($1, $2, $3, $4::bigint, $5::timestamptz, true)`,
};

/** An invoice the simulated node signed, with what its simulated_invoices row holds. */
export interface SimulatedInvoiceDraft {
  created: CreatedInvoice;
  preimageHex: string;
  amountMsat: bigint;
}

/** The values of INSERT_SIMULATED_INVOICE ($1..$5), in its column order. */
function simulatedInvoiceValues(draft: SimulatedInvoiceDraft): unknown[] {
  return [
    draft.created.paymentHash,
    draft.preimageHex,
    draft.created.bolt11,
    draft.amountMsat.toString(),
    utcTimestamp(draft.created.expiresAt),
  ];
}

const drafters = new WeakMap<LightningBackend, (input: CreateInvoiceInput) => Promise<SimulatedInvoiceDraft>>();

/**
 * For a simulated backend: signs an invoice without storing it, so that the invoice
 * service can write the simulated_invoices row in the same statement as its own invoice
 * and token rows (one round trip per invoice instead of two; lib/invoices/create.ts).
 * Whoever calls it must write that row (INSERT_SIMULATED_INVOICE's columns, the amount in
 * msat, expires_at as an ISO timestamptz): until then the dev wallet cannot pay the invoice.
 * Undefined for any other backend.
 */
export function simulatedInvoiceDrafter(
  backend: LightningBackend,
): ((input: CreateInvoiceInput) => Promise<SimulatedInvoiceDraft>) | undefined {
  return drafters.get(backend);
}

/** Signing keys are set up once per key: every invoice is signed, on the hot path. */
const signersByKeyHex = new Map<string, Promise<Bolt11Signer>>();

function signerFor(privateKey: Uint8Array): Promise<Bolt11Signer> {
  const keyHex = Buffer.from(privateKey).toString("hex");
  let signer = signersByKeyHex.get(keyHex);
  if (!signer) {
    signer = createSigner(privateKey);
    signersByKeyHex.set(keyHex, signer);
    signer.catch(() => signersByKeyHex.delete(keyHex)); // a bad key should not stay cached as a failure
  }
  return signer;
}

/** What the node signs: an invoice with a description, or with the sha256 of one carried
 *  elsewhere (LNURL-pay's metadata: the simulated LNURL server's invoices). */
type DraftInput = Omit<CreateInvoiceInput, "description"> & ({ description: string } | { descriptionHash: Uint8Array });

/** A signed invoice and the row that stores its preimage, not yet written. */
async function draftSimulatedInvoice(privateKey: Uint8Array, network: Bolt11Network, input: DraftInput): Promise<SimulatedInvoiceDraft> {
  checkInvoiceInput(input);
  const signer = await signerFor(privateKey);
  // Preimage and payment secret, from the pooled CSPRNG (lib/crypto/random-pool.ts).
  const random = pooledRandomBytes(64);
  const preimage = random.subarray(0, 32);
  const paymentHash = createHash("sha256").update(preimage).digest();
  // Expiry counts from the invoice's whole-second timestamp, so store it that way too.
  const timestamp = Math.floor(Date.now() / 1000);
  const bolt11 = encodeOrThrow(
    {
      network,
      amountMsat: input.amountMsat,
      timestamp,
      paymentHash,
      paymentSecret: random.subarray(32, 64),
      ...("descriptionHash" in input ? { descriptionHash: input.descriptionHash } : { description: input.description }),
      expirySeconds: input.expirySeconds,
      minFinalCltvExpiry: MIN_FINAL_CLTV_EXPIRY,
      featureBits: INVOICE_FEATURE_BITS,
    },
    signer,
  );
  const expiresAt = new Date((timestamp + input.expirySeconds) * 1000);
  return {
    created: { paymentHash: paymentHash.toString("hex"), bolt11, expiresAt },
    preimageHex: preimage.toString("hex"),
    amountMsat: input.amountMsat,
  };
}

/**
 * An invoice of the simulated node whose description travels out of band (tag h), stored
 * like any other so the node can settle it when it pays it: what the simulated LNURL-pay
 * server hands out. The LightningBackend interface has no description hash (the invoice
 * service never needs one), hence a function of its own.
 */
export async function createSimulatedInvoice(
  db: Db,
  options: SimulatedBackendOptions,
  input: { amountMsat: bigint; descriptionHash: Uint8Array; expirySeconds: number },
): Promise<CreatedInvoice> {
  const draft = await draftSimulatedInvoice(options.nodePrivateKey ?? simulatedNodePrivateKey(), options.network, input);
  await hotExecute(db, INSERT_EXTERNAL_SIMULATED_INVOICE, simulatedInvoiceValues(draft));
  return draft.created;
}

export function createSimulatedBackend(db: Db, options: SimulatedBackendOptions): LightningBackend {
  const privateKey = options.nodePrivateKey ?? simulatedNodePrivateKey();
  const { network } = options;
  const draftInvoice = (input: CreateInvoiceInput) => draftSimulatedInvoice(privateKey, network, input);

  const backend: LightningBackend = {
    name: "simulated",

    async createInvoice(input: CreateInvoiceInput): Promise<CreatedInvoice> {
      const draft = await draftInvoice(input);
      // One INSERT, one round trip: this runs for every 402 the service hands out.
      await hotExecute(db, INSERT_SIMULATED_INVOICE, simulatedInvoiceValues(draft));
      return draft.created;
    },

    async lookupInvoice(paymentHash: string): Promise<IncomingInvoiceStatus> {
      const invoice = await db.simulatedInvoice.findUnique({ where: { paymentHash: paymentHash.toLowerCase() } });
      if (!invoice) throw new LightningError("simulated", `no invoice with payment hash ${paymentHash}`, 404);
      if (invoice.settledAt) {
        return { state: "settled", preimage: invoice.preimage, settledAt: invoice.settledAt, amountPaidMsat: invoice.amountMsat ?? 0n };
      }
      return invoice.expiresAt.getTime() <= Date.now() ? { state: "expired" } : { state: "pending" };
    },

    async payInvoice(input: PayInvoiceInput): Promise<OutgoingPaymentStatus> {
      let decoded: DecodedInvoice;
      try {
        decoded = decodeInvoiceBasic(input.bolt11);
      } catch (error) {
        throw new LightningError("simulated", `cannot pay an invalid invoice: ${(error as Error).message}`);
      }
      // Never pay twice: a payment already made for this hash is the answer.
      const earlier = await findPayment(db, decoded.paymentHash);
      if (earlier) return earlier;

      if (decoded.network !== network) {
        return { state: "failed", reason: `invoice is for ${decoded.network}, this node is on ${network}` };
      }
      if (decoded.amountMsat === null) return { state: "failed", reason: "amountless invoices are not paid (no amount to send)" };
      if (decoded.expiresAt * 1000 <= Date.now()) return { state: "failed", reason: "invoice expired" };

      const payment = { paymentHash: decoded.paymentHash, bolt11: normalizeBolt11(input.bolt11), amountMsat: decoded.amountMsat };
      const issuedHere = await db.simulatedInvoice.findUnique({ where: { paymentHash: decoded.paymentHash }, select: { bolt11: true } });
      if (issuedHere && issuedHere.bolt11 === payment.bolt11) {
        // Our own invoice: settle it, as a payment between two channels of one node would,
        // and record the payment in the same transaction. A payment is one step on a real
        // node: one that dies half-way (a killed worker) must leave neither, else the
        // invoice is paid while the node knows no payment and can never make it again.
        return db.$transaction(async (tx): Promise<OutgoingPaymentStatus> => {
          const settled = await settleOwnInvoice(tx, decoded.paymentHash, issuedHere.bolt11);
          if (settled.outcome === "expired") return { state: "failed", reason: "invoice expired" };
          if (settled.outcome === "already_paid") return { state: "failed", reason: "invoice is already paid" };
          if (settled.outcome === "not_found") return { state: "failed", reason: "invoice not found" };
          return recordPayment(tx, { ...payment, preimage: settled.preimage });
        });
      }
      // Someone else's invoice. A simulated node cannot learn its preimage, so it "pays"
      // anything with a random one. Only used against the simulated LNURL server in
      // development; such a preimage does not hash to the invoice's payment hash.
      return recordPayment(db, { ...payment, preimage: randomBytes(32).toString("hex") });
    },

    async lookupPayment(paymentHash: string): Promise<OutgoingPaymentStatus> {
      return (await findPayment(db, paymentHash.toLowerCase())) ?? { state: "unknown" };
    },

    balanceMsat: () => simulatedBalanceMsat(db, network),
  };
  drafters.set(backend, draftInvoice);
  return backend;
}

/**
 * What the simulated node holds on `network` (its invoices' prefix tells): its own invoices
 * that were paid, less what it paid out with fees. Invoices it issued for the simulated
 * LNURL-pay server's payees (external) are their money, not the node's.
 */
export async function simulatedBalanceMsat(db: Db, network: Bolt11Network): Promise<bigint> {
  const prefix = `${INVOICE_PREFIX_BY_NETWORK[network]}`;
  // lnbc is a prefix of lnbcrt (regtest): the amount digits or the separator must follow.
  const pattern = `^${prefix}[0-9]*[munp]?1`;
  const [row] = await db.$queryRaw<{ incoming: bigint | null; outgoing: bigint | null }[]>`
    SELECT
      (SELECT SUM(amount_msat) FROM simulated_invoices WHERE settled_at IS NOT NULL AND NOT external AND bolt11 ~ ${pattern})::bigint AS incoming,
      (SELECT SUM(amount_msat + fee_msat) FROM simulated_payments WHERE bolt11 ~ ${pattern})::bigint AS outgoing`;
  return (row?.incoming ?? 0n) - (row?.outgoing ?? 0n);
}

export interface SimulatedPaymentResult {
  preimage: string;
  paymentHash: string;
  amountMsat: bigint;
  /** True when the invoice had been paid before: same preimage, nothing paid twice. */
  alreadyPaid: boolean;
}

/**
 * The dev wallet's "pay": settles an invoice this node issued and reveals its preimage.
 * Refuses, with AppError codes, invalid invoices (`invalid_invoice`), amountless ones
 * (`amountless_invoice`), invoices this node did not issue (`invoice_not_found`) and
 * expired ones (`invoice_expired`). Paying an invoice again returns the same preimage
 * with alreadyPaid, so a retried click or request is harmless.
 */
export async function paySimulatedInvoice(db: Db, bolt11: string): Promise<SimulatedPaymentResult> {
  let decoded: DecodedInvoice;
  try {
    decoded = decodeInvoiceBasic(bolt11);
  } catch (error) {
    throw new AppError("invalid_request_error", "invalid_invoice", `Not a valid BOLT11 invoice: ${(error as Error).message}`, {
      param: "invoice",
    });
  }
  if (decoded.amountMsat === null) {
    throw new AppError(
      "invalid_request_error",
      "amountless_invoice",
      "This invoice has no amount; the dev wallet only pays invoices with an amount.",
      { param: "invoice" },
    );
  }
  const settled = await settleOwnInvoice(db, decoded.paymentHash, normalizeBolt11(bolt11));
  switch (settled.outcome) {
    case "settled":
    case "already_paid":
      return {
        preimage: settled.preimage,
        paymentHash: decoded.paymentHash,
        amountMsat: settled.amountMsat,
        alreadyPaid: settled.outcome === "already_paid",
      };
    case "expired":
      throw new AppError("invalid_request_error", "invoice_expired", "This invoice has expired; ask for a new one.", { param: "invoice" });
    case "not_found":
      throw new AppError(
        "not_found_error",
        "invoice_not_found",
        "This invoice was not issued by the simulated node, so the dev wallet cannot pay it.",
        { param: "invoice" },
      );
  }
}

/** The client or a transaction: what the payment steps use. */
type SimulatedTables = Pick<Db, "$queryRaw" | "$executeRaw" | "simulatedInvoice" | "simulatedPayment">;

type SettleOutcome =
  | { outcome: "settled"; preimage: string; amountMsat: bigint }
  | { outcome: "already_paid"; preimage: string; amountMsat: bigint }
  | { outcome: "expired" }
  | { outcome: "not_found" };

/**
 * Marks one of our invoices settled in one conditional UPDATE, so two payers racing for
 * the same invoice cannot both settle it and an expired invoice can never be settled.
 * The exact bolt11 must match: the development key is public, so a forged invoice with
 * one of our payment hashes must not reveal its preimage.
 */
async function settleOwnInvoice(db: SimulatedTables, paymentHashHex: string, bolt11: string): Promise<SettleOutcome> {
  const now = utcTimestamp(new Date());
  const settled = await db.$queryRaw<Array<{ preimage: string; amount_msat: bigint | null }>>`
    UPDATE simulated_invoices SET settled_at = ${now}::timestamptz
    WHERE payment_hash = ${paymentHashHex} AND bolt11 = ${bolt11}
      AND settled_at IS NULL AND expires_at > ${now}::timestamptz
    RETURNING preimage, amount_msat`;
  if (settled[0]) return { outcome: "settled", preimage: settled[0].preimage, amountMsat: settled[0].amount_msat ?? 0n };

  // Nothing updated: find out why (a second query only on this rare path).
  const invoice = await db.simulatedInvoice.findUnique({ where: { paymentHash: paymentHashHex } });
  if (!invoice || invoice.bolt11 !== bolt11) return { outcome: "not_found" };
  if (invoice.settledAt) return { outcome: "already_paid", preimage: invoice.preimage, amountMsat: invoice.amountMsat ?? 0n };
  return { outcome: "expired" };
}

async function findPayment(db: SimulatedTables, paymentHashHex: string): Promise<OutgoingPaymentStatus | null> {
  const payment = await db.simulatedPayment.findUnique({ where: { paymentHash: paymentHashHex } });
  return payment ? { state: "succeeded", preimage: payment.preimage, feeMsat: payment.feeMsat, amountMsat: payment.amountMsat } : null;
}

/** Records a payment once per hash; if two calls race, both report the one that was stored. */
async function recordPayment(
  db: SimulatedTables,
  payment: { paymentHash: string; bolt11: string; amountMsat: bigint; preimage: string },
): Promise<OutgoingPaymentStatus> {
  await db.$executeRaw`
    INSERT INTO simulated_payments (payment_hash, bolt11, amount_msat, fee_msat, preimage)
    VALUES (${payment.paymentHash}, ${payment.bolt11}, ${payment.amountMsat}, 0, ${payment.preimage})
    ON CONFLICT (payment_hash) DO NOTHING`;
  const stored = await findPayment(db, payment.paymentHash);
  if (!stored) throw new LightningError("simulated", `payment ${payment.paymentHash} was not recorded`);
  return stored;
}

function encodeOrThrow(fields: InvoiceFields, signer: Bolt11Signer): string {
  try {
    return encodeInvoice(fields, signer);
  } catch (error) {
    // e.g. a description over BOLT11's 639 bytes
    throw new LightningError("simulated", `cannot make this invoice: ${(error as Error).message}`);
  }
}

function checkInvoiceInput(input: Pick<CreateInvoiceInput, "amountMsat" | "expirySeconds">): void {
  if (typeof input.amountMsat !== "bigint" || input.amountMsat <= 0n) {
    throw new LightningError("simulated", `invoice amount must be a positive number of millisatoshis, got ${String(input.amountMsat)}`);
  }
  if (!Number.isSafeInteger(input.expirySeconds) || input.expirySeconds <= 0) {
    throw new LightningError("simulated", `invoice expiry must be a positive whole number of seconds, got ${input.expirySeconds}`);
  }
}

/** bech32 is case-insensitive and wallets add "lightning:"; we store the lowercase bare form. */
function normalizeBolt11(bolt11: string): string {
  return bolt11
    .trim()
    .replace(/^lightning:/i, "")
    .toLowerCase();
}

/**
 * Timestamps go to SQL as ISO strings ("…Z") cast to timestamptz: an exact instant, and the
 * same text through pg's prepared statements and through Prisma's raw queries.
 */
function utcTimestamp(date: Date): string {
  return date.toISOString();
}
