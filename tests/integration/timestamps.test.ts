// Timestamps are timestamptz: every column is, and the hot path's statements (invoice and
// token insert, the simulated node's settle, redeem-and-settle with its now()) store true
// instants even when the database's TimeZone is far from UTC.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { createDb, setDb, type Db } from "../../lib/db/client";
import { createEndpoint } from "../../lib/endpoints/registry";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("timestamptz", () => {
  it("no column is a timestamp without time zone", async () => {
    const untyped = await t.db.$queryRaw<{ table_name: string; column_name: string }[]>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone'`;
    expect(untyped).toEqual([]);
  });

  // A database whose TimeZone is UTC+14 (Kiritimati): with timestamp columns, now() stored
  // local wall time, 14 hours off. Our sessions run in UTC (Prisma's adapter reads
  // timestamptz as UTC), and what they store reads the same in any session.
  // Needs new sessions to pick the setting up: real Postgres.
  it.runIf(usingRealPostgres)("create, pay and verify store the right instants in a UTC+14 database (real Postgres)", async () => {
    await t.db.$executeRawUnsafe(`ALTER DATABASE "${new URL(t.url).pathname.slice(1)}" SET timezone TO 'Pacific/Kiritimati'`);
    const farEast: Db = createDb(t.url, 4);
    setDb(farEast);
    try {
      const zone = await farEast.$queryRaw<{ TimeZone: string }[]>`SHOW timezone`;
      expect(zone[0].TimeZone).toBe("UTC");
      const app = createApiApp();
      const owner = await tenantWithKey(farEast);
      await createEndpoint(farEast, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });

      const issued = (await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /premium" } })).body;
      const { preimage } = (await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.invoice } })).body;
      const verified = await call(app, "POST", "/api/v1/l402/verify", {
        key: owner.key,
        body: { authorization: `L402 ${issued.macaroon}:${preimage}`, method: "GET", path: "/premium" },
      });
      expect(verified.body.valid).toBe(true);

      const near = (date: Date | null | undefined) => expect(Math.abs((date?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
      const invoice = await farEast.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } });
      expect(invoice.expiresAt.toISOString()).toBe(issued.expiresAt);
      near(invoice.createdAt);
      near(invoice.settledAt);
      const token = await farEast.l402Token.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } });
      near(token.lastRedeemedAt);
      expect(token.validUntil.getTime()).toBeGreaterThan(Date.now());
      const simulated = await farEast.simulatedInvoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } });
      expect(simulated.expiresAt.toISOString()).toBe(issued.expiresAt);
      near(simulated.settledAt);
      near((await farEast.journalEntry.findUniqueOrThrow({ where: { idempotencyKey: `settle:${issued.paymentHash}` } })).createdAt);

      // Read in a session of the database's own zone: the same instants.
      const local = new pg.Client({ connectionString: t.url });
      await local.connect();
      try {
        expect((await local.query("SHOW timezone")).rows[0].TimeZone).toBe("Pacific/Kiritimati");
        const row = (
          await local.query(
            `SELECT extract(epoch FROM expires_at)::float8 AS expires, extract(epoch FROM settled_at)::float8 AS settled FROM invoices WHERE payment_hash = $1`,
            [issued.paymentHash],
          )
        ).rows[0];
        expect(Math.round(row.expires * 1000)).toBe(new Date(issued.expiresAt).getTime());
        expect(Math.round(row.settled * 1000)).toBe(invoice.settledAt!.getTime());
      } finally {
        await local.end();
      }
    } finally {
      setDb(t.db);
      await farEast.$disconnect();
    }
  });
});

if (!usingRealPostgres) console.warn("SKIPPED: the UTC+14 session test needs real Postgres (set DATABASE_URL); PGlite has one session.");
