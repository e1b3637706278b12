// The invoice service's hot statements (lib/db/client.ts hotQuery/hotExecute): invoice
// creation and verification go to pg directly, as prepared statements, with Prisma's
// $queryRawUnsafe as the fallback for a client that createDb did not make. Both paths must
// write and read the same rows: amounts, UTC timestamps, the settlement entry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { tenantWithKey } from "../helpers/api";
import { PrismaClient } from "../../lib/db/generated/client";
import type { Db } from "../../lib/db/client";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createInvoice } from "../../lib/invoices/create";
import { verifyCredential } from "../../lib/invoices/verify";
import { findApiKey, type AuthenticatedKey } from "../../lib/keys/api-keys";
import { paySimulatedInvoice } from "../../lib/lightning/simulated";

let t: TestDatabase;
let key: AuthenticatedKey;
let fallback: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  const owner = await tenantWithKey(t.db);
  key = (await findApiKey(t.db, owner.key))!;
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 100, tokenLifetimeSeconds: 7200 });
  // A client createDb did not make: its hot statements go through Prisma.
  fallback = new PrismaClient({ adapter: new PrismaPg({ connectionString: t.url, max: 1 }) });
});
afterAll(async () => {
  await fallback?.$disconnect();
  await t.drop();
});

describe.each([
  ["pg, prepared statements", () => t.db],
  ["Prisma fallback", () => fallback],
])("hot path through %s", (_label, db) => {
  it("stores the invoice, the simulated node's row and the token with the right values", async () => {
    const before = Date.now();
    const issued = await createInvoice(db(), key, { method: "GET", path: "/premium" });
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } });
    expect(invoice).toMatchObject({
      tenantId: key.tenantId,
      apiKeyId: key.id,
      mode: "test",
      backend: "simulated",
      bolt11: issued.invoice,
      amountMsat: 100_000n,
      state: "pending",
    });
    expect(invoice.expiresAt.toISOString()).toBe(issued.expiresAt);

    const simulated = await t.db.simulatedInvoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } });
    expect(simulated).toMatchObject({ bolt11: issued.invoice, amountMsat: 100_000n, settledAt: null });
    expect(simulated.expiresAt.toISOString()).toBe(issued.expiresAt);
    expect(simulated.preimage).toMatch(/^[0-9a-f]{64}$/);

    const token = await t.db.l402Token.findFirstOrThrow({ where: { paymentHash: issued.paymentHash } });
    expect(token).toMatchObject({ tenantId: key.tenantId, endpointLabel: "GET /premium", usesAllowed: 1, usesConsumed: 0 });
    // valid_until is stored as UTC: two hours from now, whatever the session's time zone.
    expect(token.validUntil.getTime()).toBeGreaterThanOrEqual(before + 7_200_000 - 1000);
    expect(token.validUntil.getTime()).toBeLessThanOrEqual(Date.now() + 7_200_000 + 1000);
  });

  it("redeems a paid credential once and settles it in the same statement", async () => {
    const issued = await createInvoice(db(), key, { method: "GET", path: "/premium" });
    const unpaid = await verifyCredential(db(), key, {
      authorization: `L402 ${issued.macaroon}:${"00".repeat(32)}`,
      method: "GET",
      path: "/premium",
    });
    expect(unpaid).toMatchObject({ valid: false, code: "unpaid" });

    const { preimage } = await paySimulatedInvoice(t.db, issued.invoice);
    const authorization = `L402 ${issued.macaroon}:${preimage}`;
    expect(await verifyCredential(db(), key, { authorization, method: "GET", path: "/premium" })).toEqual({
      valid: true,
      paymentHash: issued.paymentHash,
      amountSats: 100,
      endpoint: "GET /premium",
      remainingUses: 0,
      redemption: 1,
    });
    expect(await verifyCredential(db(), key, { authorization, method: "GET", path: "/premium" })).toMatchObject({
      valid: false,
      code: "used_up",
    });

    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } });
    expect(invoice.state).toBe("paid");
    expect(invoice.settledAt).not.toBeNull();
    const entry = await t.db.journalEntry.findUniqueOrThrow({
      where: { idempotencyKey: `settle:${issued.paymentHash}` },
      include: { postings: true },
    });
    expect(entry).toMatchObject({ kind: "settlement", tenantId: key.tenantId, paymentHash: issued.paymentHash, memo: null });
    expect(entry.postings.map((p) => p.amountMsat).sort()).toEqual([-99_700n, -300n, 100_000n].sort());
  });

  it("refuses a token past its stored valid_until as expired, and redeems nothing", async () => {
    const issued = await createInvoice(db(), key, { method: "GET", path: "/premium" });
    const { preimage } = await paySimulatedInvoice(t.db, issued.invoice);
    // The macaroon's own expiry caveat is still good; only the row says it is over (UTC).
    await t.db.l402Token.updateMany({ where: { paymentHash: issued.paymentHash }, data: { validUntil: new Date(Date.now() - 60_000) } });
    const result = await verifyCredential(db(), key, {
      authorization: `L402 ${issued.macaroon}:${preimage}`,
      method: "GET",
      path: "/premium",
    });
    expect(result).toMatchObject({ valid: false, code: "expired" });
    const token = await t.db.l402Token.findFirstOrThrow({ where: { paymentHash: issued.paymentHash } });
    expect(token.usesConsumed).toBe(0);
    expect((await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } })).state).toBe("pending");
  });
});
