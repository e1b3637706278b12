// The simulated node against a real database: its invoices must be real BOLT11 that the
// npm decoders accept, its dev-wallet payments must settle exactly once, and it must
// refuse what a payer should not be able to pay.
import { createHash, randomBytes } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import bolt11 from "bolt11";
import { decode as lightDecode } from "light-bolt11-decoder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { LightningError } from "../../lib/lightning/backend";
import { createNobleSigner, encodeInvoice, FEATURE, type Bolt11Network } from "../../lib/lightning/bolt11";
import {
  createSimulatedBackend,
  DEVELOPMENT_NODE_PRIVATE_KEY,
  paySimulatedInvoice,
  simulatedNodePrivateKey,
} from "../../lib/lightning/simulated";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const sha256Hex = (hex: string) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
const devNodeIdHex = Buffer.from(secp256k1.getPublicKey(DEVELOPMENT_NODE_PRIVATE_KEY, true)).toString("hex");

/** An invoice from some other node (a random key), as a payout destination would send. */
function foreignInvoice(network: Bolt11Network, options: { amountMsat?: bigint | null; expirySeconds?: number; timestamp?: number } = {}) {
  const preimage = randomBytes(32);
  const paymentHash = createHash("sha256").update(preimage).digest();
  const amountMsat = options.amountMsat === undefined ? 5_000n : options.amountMsat;
  const invoice = encodeInvoice(
    {
      network,
      ...(amountMsat === null ? {} : { amountMsat }),
      timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
      paymentHash,
      paymentSecret: randomBytes(32),
      description: "payout",
      expirySeconds: options.expirySeconds ?? 600,
      featureBits: [FEATURE.varOnionOptinOptional, FEATURE.paymentSecretCompulsory],
    },
    createNobleSigner(randomBytes(32)),
  );
  return { invoice, paymentHashHex: paymentHash.toString("hex"), preimageHex: preimage.toString("hex") };
}

describe("simulated backend: invoices", () => {
  it("signs a real testnet BOLT11 invoice that bolt11 and light-bolt11-decoder accept, stored in one row", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    expect(backend.name).toBe("simulated");
    const before = Math.floor(Date.now() / 1000);
    const created = await backend.createInvoice({ amountMsat: 21_000n, description: "GET /premium", expirySeconds: 600 });

    expect(created.bolt11.startsWith("lntb210n1")).toBe(true);
    const decoded = bolt11.decode(created.bolt11);
    expect(decoded.complete).toBe(true);
    // bolt11 recovers the key from the signature: getting our node id back proves it verifies.
    expect(decoded.payeeNodeKey).toBe(devNodeIdHex);
    expect(decoded.millisatoshis).toBe("21000");
    expect(decoded.tagsObject.payment_hash).toBe(created.paymentHash);
    expect(decoded.tagsObject.description).toBe("GET /premium");
    expect(decoded.tagsObject.expire_time).toBe(600);
    expect(decoded.tagsObject.min_final_cltv_expiry).toBe(80);
    expect(decoded.tagsObject.payment_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(decoded.tagsObject.feature_bits?.payment_secret).toMatchObject({ required: true });
    expect(decoded.tagsObject.feature_bits?.var_onion_optin).toMatchObject({ supported: true });
    expect(decoded.timestamp).toBeGreaterThanOrEqual(before);
    expect(decoded.timeExpireDate).toBe(decoded.timestamp! + 600);
    expect(created.expiresAt.getTime()).toBe(decoded.timeExpireDate! * 1000);

    const light = lightDecode(created.bolt11);
    expect(light.sections.find((s) => s.name === "payment_hash")?.value).toBe(created.paymentHash);

    const row = await t.db.simulatedInvoice.findUniqueOrThrow({ where: { paymentHash: created.paymentHash } });
    expect(sha256Hex(row.preimage)).toBe(created.paymentHash);
    expect(row.bolt11).toBe(created.bolt11);
    expect(row.amountMsat).toBe(21_000n);
    expect(row.expiresAt.getTime()).toBe(created.expiresAt.getTime());
    expect(row.settledAt).toBeNull();
  });

  it("uses the mainnet prefix and a configured node key", async () => {
    const key = randomBytes(32);
    const backend = createSimulatedBackend(t.db, { network: "mainnet", nodePrivateKey: key });
    const created = await backend.createInvoice({ amountMsat: 1_500n, description: "sub-sat amounts are fine", expirySeconds: 60 });
    expect(created.bolt11.startsWith("lnbc15n1")).toBe(true);
    expect(bolt11.decode(created.bolt11).payeeNodeKey).toBe(Buffer.from(secp256k1.getPublicKey(key, true)).toString("hex"));
  });

  it("reads SIMULATED_NODE_KEY, else the well-known development key", () => {
    expect(simulatedNodePrivateKey({})).toEqual(DEVELOPMENT_NODE_PRIVATE_KEY);
    expect(Buffer.from(DEVELOPMENT_NODE_PRIVATE_KEY).toString("hex")).toBe(
      createHash("sha256").update("tollbooth simulated node").digest("hex"),
    );
    const keyHex = "11".repeat(32);
    expect(Buffer.from(simulatedNodePrivateKey({ SIMULATED_NODE_KEY: keyHex })).toString("hex")).toBe(keyHex);
    expect(() => simulatedNodePrivateKey({ SIMULATED_NODE_KEY: "abc" })).toThrow(/64 hex/);
  });

  it("refuses amounts and expiries that make no invoice", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    await expect(backend.createInvoice({ amountMsat: 0n, description: "x", expirySeconds: 60 })).rejects.toBeInstanceOf(LightningError);
    await expect(backend.createInvoice({ amountMsat: 1000n, description: "x", expirySeconds: 0 })).rejects.toBeInstanceOf(LightningError);
    await expect(backend.createInvoice({ amountMsat: 1000n, description: "x".repeat(640), expirySeconds: 60 })).rejects.toBeInstanceOf(
      LightningError,
    );
  });
});

describe("simulated backend: the dev wallet pays", () => {
  it("pending, then paid once with the preimage, then settled; paying again is idempotent", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    const created = await backend.createInvoice({ amountMsat: 100_000n, description: "pay me", expirySeconds: 600 });
    expect(await backend.lookupInvoice(created.paymentHash)).toEqual({ state: "pending" });

    const paid = await paySimulatedInvoice(t.db, created.bolt11);
    expect(paid).toMatchObject({ paymentHash: created.paymentHash, amountMsat: 100_000n, alreadyPaid: false });
    expect(sha256Hex(paid.preimage)).toBe(created.paymentHash);

    const status = await backend.lookupInvoice(created.paymentHash);
    expect(status).toMatchObject({ state: "settled", preimage: paid.preimage, amountPaidMsat: 100_000n });
    if (status.state === "settled") expect(Math.abs(status.settledAt.getTime() - Date.now())).toBeLessThan(60_000);

    // Upper case and the lightning: prefix are the same invoice.
    const again = await paySimulatedInvoice(t.db, `lightning:${created.bolt11.toUpperCase()}`);
    expect(again).toEqual({ ...paid, alreadyPaid: true });
  });

  it("racing payers: exactly one settles, all get the same preimage", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    const created = await backend.createInvoice({ amountMsat: 3_000n, description: "race", expirySeconds: 600 });
    const results = await Promise.all(Array.from({ length: 6 }, () => paySimulatedInvoice(t.db, created.bolt11)));
    expect(results.filter((r) => !r.alreadyPaid)).toHaveLength(1);
    expect(new Set(results.map((r) => r.preimage)).size).toBe(1);
  });

  it("refuses an invoice that has expired (by the clock, and by expires_at in the table)", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    const shortLived = await backend.createInvoice({ amountMsat: 1_000n, description: "short", expirySeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await backend.lookupInvoice(shortLived.paymentHash)).toEqual({ state: "expired" });
    await expect(paySimulatedInvoice(t.db, shortLived.bolt11)).rejects.toMatchObject({ code: "invoice_expired" });

    const created = await backend.createInvoice({ amountMsat: 1_000n, description: "expired by hand", expirySeconds: 600 });
    await t.db.simulatedInvoice.update({ where: { paymentHash: created.paymentHash }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(paySimulatedInvoice(t.db, created.bolt11)).rejects.toMatchObject({ code: "invoice_expired", status: 400 });
    expect((await t.db.simulatedInvoice.findUniqueOrThrow({ where: { paymentHash: created.paymentHash } })).settledAt).toBeNull();
  });

  it("refuses invoices it did not issue, amountless ones and garbage", async () => {
    await expect(paySimulatedInvoice(t.db, foreignInvoice("testnet").invoice)).rejects.toMatchObject({
      code: "invoice_not_found",
      status: 404,
    });
    await expect(paySimulatedInvoice(t.db, foreignInvoice("testnet", { amountMsat: null }).invoice)).rejects.toMatchObject({
      code: "amountless_invoice",
    });
    await expect(paySimulatedInvoice(t.db, "lntb1notaninvoice")).rejects.toMatchObject({ code: "invalid_invoice" });
  });

  it("does not reveal a preimage for a forged invoice that reuses one of our payment hashes", async () => {
    // The development key is public, so anyone can sign an invoice with our hash and a lower amount.
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    const created = await backend.createInvoice({ amountMsat: 1_000_000n, description: "expensive", expirySeconds: 600 });
    const forged = encodeInvoice(
      {
        network: "testnet",
        amountMsat: 1n * 1000n,
        timestamp: Math.floor(Date.now() / 1000),
        paymentHash: Buffer.from(created.paymentHash, "hex"),
        paymentSecret: randomBytes(32),
        description: "cheap",
        expirySeconds: 600,
      },
      createNobleSigner(DEVELOPMENT_NODE_PRIVATE_KEY),
    );
    await expect(paySimulatedInvoice(t.db, forged)).rejects.toMatchObject({ code: "invoice_not_found" });
    expect(await backend.lookupInvoice(created.paymentHash)).toEqual({ state: "pending" });
  });

  it("lookupInvoice of a hash it never issued is a LightningError", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    await expect(backend.lookupInvoice("00".repeat(32))).rejects.toMatchObject({ name: "LightningError", status: 404 });
  });
});

describe("simulated backend: outgoing payments", () => {
  const payOptions = { maxFeeMsat: 1_000n, timeoutSeconds: 30 };

  it("pays its own invoice by settling it, and never pays the same hash twice", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    const created = await backend.createInvoice({ amountMsat: 42_000n, description: "own", expirySeconds: 600 });
    const paid = await backend.payInvoice({ bolt11: created.bolt11, ...payOptions });
    expect(paid).toMatchObject({ state: "succeeded", feeMsat: 0n, amountMsat: 42_000n });
    if (paid.state !== "succeeded") throw new Error("unreachable");
    expect(sha256Hex(paid.preimage)).toBe(created.paymentHash);
    expect(await backend.lookupInvoice(created.paymentHash)).toMatchObject({ state: "settled", preimage: paid.preimage });
    expect(await backend.lookupPayment(created.paymentHash)).toEqual(paid);

    expect(await backend.payInvoice({ bolt11: created.bolt11, ...payOptions })).toEqual(paid);
    expect(await t.db.simulatedPayment.count({ where: { paymentHash: created.paymentHash } })).toBe(1);
  });

  it("fails its own invoice that the dev wallet already paid (the payee would reject a second payment)", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    const created = await backend.createInvoice({ amountMsat: 1_000n, description: "paid elsewhere", expirySeconds: 600 });
    await paySimulatedInvoice(t.db, created.bolt11);
    expect(await backend.payInvoice({ bolt11: created.bolt11, ...payOptions })).toEqual({
      state: "failed",
      reason: "invoice is already paid",
    });
  });

  it("settles its own invoice and records the payment as one step: a payment that dies in between leaves the invoice unpaid", async () => {
    // Found by tests/faults/worker-kill.test.ts: a worker killed after the payee's invoice was
    // settled and before the payment was recorded left a payout whose payment the node did not
    // know (lookup: unknown) and could not make again ("invoice is already paid").
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    const created = await backend.createInvoice({ amountMsat: 3_000n, description: "interrupted", expirySeconds: 600 });
    // The payment dies as it is recorded: a trigger refuses its row.
    await t.db.$executeRawUnsafe(
      `CREATE FUNCTION refuse_payment() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'died'; END $$`,
    );
    await t.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_payment BEFORE INSERT ON simulated_payments FOR EACH ROW
       WHEN (NEW.payment_hash = '${created.paymentHash}') EXECUTE FUNCTION refuse_payment()`,
    );
    try {
      await expect(backend.payInvoice({ bolt11: created.bolt11, ...payOptions })).rejects.toThrow(/died/);
    } finally {
      await t.db.$executeRawUnsafe("DROP TRIGGER refuse_payment ON simulated_payments");
      await t.db.$executeRawUnsafe("DROP FUNCTION refuse_payment()");
    }
    expect(await backend.lookupPayment(created.paymentHash)).toEqual({ state: "unknown" });
    expect(await backend.lookupInvoice(created.paymentHash)).toEqual({ state: "pending" });
    const paid = await backend.payInvoice({ bolt11: created.bolt11, ...payOptions });
    expect(paid).toMatchObject({ state: "succeeded", amountMsat: 3_000n });
    expect(await backend.lookupInvoice(created.paymentHash)).toMatchObject({ state: "settled" });
  });

  it("'pays' another node's invoice with a made-up preimage, recorded once", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    const { invoice, paymentHashHex } = foreignInvoice("testnet", { amountMsat: 7_000n });
    expect(await backend.lookupPayment(paymentHashHex)).toEqual({ state: "unknown" });
    const paid = await backend.payInvoice({ bolt11: invoice, ...payOptions });
    expect(paid).toMatchObject({ state: "succeeded", feeMsat: 0n, amountMsat: 7_000n });
    expect(await backend.lookupPayment(paymentHashHex)).toEqual(paid);
    const row = await t.db.simulatedPayment.findUniqueOrThrow({ where: { paymentHash: paymentHashHex } });
    expect(row).toMatchObject({ bolt11: invoice, amountMsat: 7_000n, feeMsat: 0n });
  });

  it("fails what a real node would refuse: expired, amountless, another network", async () => {
    const backend = createSimulatedBackend(t.db, { network: "testnet" });
    const expired = foreignInvoice("testnet", { timestamp: Math.floor(Date.now() / 1000) - 120, expirySeconds: 60 });
    expect(await backend.payInvoice({ bolt11: expired.invoice, ...payOptions })).toEqual({ state: "failed", reason: "invoice expired" });
    const amountless = foreignInvoice("testnet", { amountMsat: null });
    expect(await backend.payInvoice({ bolt11: amountless.invoice, ...payOptions })).toMatchObject({ state: "failed" });
    const mainnet = foreignInvoice("mainnet");
    expect(await backend.payInvoice({ bolt11: mainnet.invoice, ...payOptions })).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/mainnet/),
    });
    for (const hash of [expired.paymentHashHex, amountless.paymentHashHex, mainnet.paymentHashHex]) {
      expect(await backend.lookupPayment(hash)).toEqual({ state: "unknown" });
    }
    await expect(backend.payInvoice({ bolt11: "garbage", ...payOptions })).rejects.toBeInstanceOf(LightningError);
  });
});
