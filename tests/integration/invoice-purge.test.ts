// Storage stays bounded (issue #7, item 8): expired never-paid invoices are deleted with
// their tokens and the simulated node's rows INVOICE_RETENTION_HOURS after expiry, in
// batches, by the worker; anything that was or may have been paid stays.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { tenantWithKey } from "../helpers/api";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createInvoice } from "../../lib/invoices/create";
import { purgeExpiredInvoices } from "../../lib/invoices/purge";
import { settleInvoice } from "../../lib/invoices/settle";
import { verifyCredential } from "../../lib/invoices/verify";
import { findApiKey, type AuthenticatedKey } from "../../lib/keys/api-keys";
import { paySimulatedInvoice } from "../../lib/lightning/simulated";

let t: TestDatabase;
let key: AuthenticatedKey;
beforeAll(async () => {
  t = await createTestDatabase();
  const owner = await tenantWithKey(t.db);
  key = (await findApiKey(t.db, owner.key))!;
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t.drop();
});

const HOUR = 3_600_000;

/** An unpaid request's invoice, expired `hoursAgo` hours ago (invoice and simulated node alike). */
async function unpaidInvoice(hoursAgo: number) {
  const issued = await createInvoice(t.db, key, { method: "GET", path: "/premium" });
  await expireAt(issued.paymentHash, hoursAgo);
  return issued;
}

async function expireAt(paymentHash: string, hoursAgo: number) {
  const expiresAt = new Date(Date.now() - hoursAgo * HOUR);
  await t.db.invoice.update({ where: { paymentHash }, data: { expiresAt } });
  await t.db.simulatedInvoice.updateMany({ where: { paymentHash }, data: { expiresAt } });
}

/** Which of the three rows an invoice still has. */
async function rowsOf(paymentHash: string) {
  return {
    invoice: await t.db.invoice.count({ where: { paymentHash } }),
    token: await t.db.l402Token.count({ where: { paymentHash } }),
    simulated: await t.db.simulatedInvoice.count({ where: { paymentHash } }),
  };
}

const gone = { invoice: 0, token: 0, simulated: 0 };
const kept = { invoice: 1, token: 1, simulated: 1 };

describe("purgeExpiredInvoices", () => {
  it("deletes exactly the never-paid invoices expired longer than the retention period", async () => {
    const stale = await unpaidInvoice(25);
    const recent = await unpaidInvoice(23);

    // Paid and redeemed, long expired.
    const redeemed = await createInvoice(t.db, key, { method: "GET", path: "/premium" });
    const { preimage } = await paySimulatedInvoice(t.db, redeemed.invoice);
    expect(
      await verifyCredential(t.db, key, { authorization: `L402 ${redeemed.macaroon}:${preimage}`, method: "GET", path: "/premium" }),
    ).toMatchObject({ valid: true });
    await expireAt(redeemed.paymentHash, 48);

    // Paid at the node but never redeemed nor yet seen by the watcher: still pending here.
    const paidUnseen = await createInvoice(t.db, key, { method: "GET", path: "/premium" });
    await paySimulatedInvoice(t.db, paidUnseen.invoice);
    await expireAt(paidUnseen.paymentHash, 48);

    // The books name it (whatever the invoice row says).
    const booked = await unpaidInvoice(48);
    await settleInvoice(t.db, { paymentHash: booked.paymentHash, tenantId: key.tenantId, mode: "test", amountMsat: 10_000n, feeBps: 30 });
    await t.db.invoice.update({ where: { paymentHash: booked.paymentHash }, data: { state: "expired", settledAt: null } });

    // Its token was redeemed, or a failed paid call was recorded for it.
    const usedToken = await unpaidInvoice(48);
    await t.db.l402Token.updateMany({ where: { paymentHash: usedToken.paymentHash }, data: { usesConsumed: 1 } });
    const failedCall = await unpaidInvoice(48);
    await t.db.failedCall.create({
      data: { paymentHash: failedCall.paymentHash, redemption: 1, tenantId: key.tenantId, endpoint: "GET /premium" },
    });

    // A real backend's invoice: only once the watcher has marked it expired (the backend said so).
    const remotePending = await unpaidInvoice(48);
    const remoteExpired = await unpaidInvoice(48);
    // Expired because the node no longer knew it: a swapped wallet key or node says the
    // same, and it may have been paid there. Never purged.
    const remoteUnknown = await unpaidInvoice(48);
    for (const { paymentHash } of [remotePending, remoteExpired, remoteUnknown]) {
      await t.db.simulatedInvoice.delete({ where: { paymentHash } });
      await t.db.invoice.update({ where: { paymentHash }, data: { backend: "lnd" } });
    }
    await t.db.invoice.update({ where: { paymentHash: remoteExpired.paymentHash }, data: { state: "expired", expiredReason: "backend" } });
    await t.db.invoice.update({
      where: { paymentHash: remoteUnknown.paymentHash },
      data: { state: "expired", expiredReason: "unknown_to_node" },
    });

    expect(await purgeExpiredInvoices(t.db, { retentionHours: 24 })).toBe(2);
    expect(await rowsOf(remoteUnknown.paymentHash)).toEqual({ invoice: 1, token: 1, simulated: 0 });

    expect(await rowsOf(stale.paymentHash)).toEqual(gone);
    expect(await rowsOf(remoteExpired.paymentHash)).toEqual(gone);
    expect(await rowsOf(recent.paymentHash)).toEqual(kept);
    expect(await rowsOf(redeemed.paymentHash)).toEqual(kept);
    expect(await rowsOf(paidUnseen.paymentHash)).toEqual(kept);
    expect(await rowsOf(booked.paymentHash)).toEqual(kept);
    expect(await rowsOf(usedToken.paymentHash)).toEqual(kept);
    expect(await rowsOf(failedCall.paymentHash)).toEqual(kept);
    expect(await rowsOf(remotePending.paymentHash)).toEqual({ invoice: 1, token: 1, simulated: 0 });
    // The ledger is untouched.
    expect(await t.db.journalEntry.count({ where: { paymentHash: booked.paymentHash } })).toBe(1);
    expect(await t.db.journalEntry.count({ where: { paymentHash: redeemed.paymentHash } })).toBe(1);
  });

  it("works in batches, and a call stops after maxBatches", async () => {
    const invoices = [];
    for (let i = 0; i < 25; i++) invoices.push(await unpaidInvoice(30));
    expect(await purgeExpiredInvoices(t.db, { retentionHours: 24, batchSize: 10, maxBatches: 2 })).toBe(20);
    expect(await purgeExpiredInvoices(t.db, { retentionHours: 24, batchSize: 10, maxBatches: 2 })).toBe(5);
    expect(await purgeExpiredInvoices(t.db, { retentionHours: 24, batchSize: 10 })).toBe(0);
    for (const { paymentHash } of invoices) expect(await rowsOf(paymentHash)).toEqual(gone);
  });

  it("takes the retention period from INVOICE_RETENTION_HOURS", async () => {
    const invoice = await unpaidInvoice(30);
    vi.stubEnv("INVOICE_RETENTION_HOURS", "40");
    expect(await purgeExpiredInvoices(t.db)).toBe(0);
    vi.stubEnv("INVOICE_RETENTION_HOURS", "26");
    expect(await purgeExpiredInvoices(t.db)).toBe(1);
    expect(await rowsOf(invoice.paymentHash)).toEqual(gone);
    vi.stubEnv("INVOICE_RETENTION_HOURS", "soon");
    await expect(purgeExpiredInvoices(t.db)).rejects.toThrow(/INVOICE_RETENTION_HOURS/);
    vi.unstubAllEnvs();
  });

  it("runs in the worker", async () => {
    // The first test's "lnd" invoices name a node this machine does not have: out of the
    // settlement watcher's way, which runs first in the same tick.
    await t.db.invoice.deleteMany({ where: { backend: "lnd" } });
    const stale = await unpaidInvoice(25);
    const { stdout } = await promisify(execFile)(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/worker.ts", "--once"], {
      env: { ...process.env, DATABASE_URL: t.url, INVOICE_RETENTION_HOURS: "24" },
      timeout: 60_000,
    });
    expect(stdout).toContain("purged 1 expired unpaid invoices");
    expect(await rowsOf(stale.paymentHash)).toEqual(gone);
  }, 90_000);
});
