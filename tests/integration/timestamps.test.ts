// Timestamps are timestamptz: every column is, and the hot path's statements (invoice and
// token insert, the simulated node's settle, redeem-and-settle with its now()) store true
// instants even when the database's TimeZone is far from UTC.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
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

describe("sessions in UTC", () => {
  // The SET runs before pg-pool hands a new connection out: the first queries on a fresh
  // pool neither overlap it (pg's "client is already executing a query" deprecation, seen
  // in the benchmark's server) nor see the database's own zone. In a process of its own:
  // pg warns once per process, and this one has used pools already. Real Postgres: a second
  // process cannot connect beside this one to embedded PGlite.
  it.runIf(usingRealPostgres)(
    "a fresh pool's first concurrent queries each see UTC, with no overlapping query on a connection (real Postgres)",
    async () => {
      const name = new URL(t.url).pathname.slice(1);
      await t.db.$executeRawUnsafe(`ALTER DATABASE "${name}" SET timezone TO 'America/Los_Angeles'`);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tollbooth-utc-"));
      const script = path.join(dir, "first-queries.mts");
      const clientUrl = pathToFileURL(path.resolve("lib/db/client.ts")).href;
      fs.writeFileSync(
        script,
        `const { createDb, hotQuery } = await import(${JSON.stringify(clientUrl)});
const db = createDb(process.env.TEST_URL, 4);
const zone = { name: "tb_test_timezone", text: "SELECT current_setting('TimeZone') AS zone" };
const zones = await Promise.all(Array.from({ length: 8 }, () => hotQuery(db, zone, [])));
console.log(JSON.stringify(zones.map((rows) => rows[0].zone)));
await db.$disconnect();
`,
      );
      try {
        const run = spawnSync(process.execPath, ["--import", "tsx", script], {
          env: { ...process.env, TEST_URL: t.url },
          encoding: "utf8",
        });
        expect(run.status, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout.trim().split("\n").at(-1)!)).toEqual(Array(8).fill("UTC"));
        expect(run.stderr).not.toContain("already executing a query");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        await t.db.$executeRawUnsafe(`ALTER DATABASE "${name}" RESET timezone`);
      }
    },
  );
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
