// The app's own migration applier: idempotent, Prisma-compatible bookkeeping, and honest
// about edited or pending migrations (which /api/health reports).
import { cpSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import pg from "pg";
import { applyMigrations, MIGRATIONS_DIR, migrationStatus, readMigrations } from "../../lib/db/migrate";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

function copyOfMigrations() {
  const dir = mkdtempSync(path.join(tmpdir(), "tb-migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe("migration applier", () => {
  it("records every migration with Prisma's checksum and applies nothing twice", async () => {
    const rows = await t.db.$queryRaw<
      { migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }[]
    >`
      SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`;
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    expect(await applyMigrations(t.url)).toEqual([]);
    expect(await migrationStatus(t.url)).toEqual({ applied: files.map((f) => f.name), pending: [], problems: [] });
  });

  it("applies a new migration and reports pending and edited ones", async () => {
    const dir = copyOfMigrations();
    mkdirSync(path.join(dir, "29990101000000_add_probe"));
    writeFileSync(path.join(dir, "29990101000000_add_probe", "migration.sql"), `CREATE TABLE "probe" ("id" INTEGER PRIMARY KEY);`);
    expect((await migrationStatus(t.url, dir)).pending).toEqual(["29990101000000_add_probe"]);
    expect(await applyMigrations(t.url, dir)).toEqual(["29990101000000_add_probe"]);
    await t.db.$executeRawUnsafe(`INSERT INTO "probe" VALUES (1)`);

    writeFileSync(path.join(dir, "29990101000000_add_probe", "migration.sql"), `CREATE TABLE "probe" ("id" BIGINT PRIMARY KEY);`);
    expect((await migrationStatus(t.url, dir)).problems).toEqual(["29990101000000_add_probe was edited after it was applied"]);
    await expect(applyMigrations(t.url, dir)).rejects.toThrow(/edited after it was applied/);
  });

  it("rolls back a failing migration completely and says which one failed", async () => {
    const dir = copyOfMigrations();
    mkdirSync(path.join(dir, "29990202000000_broken"));
    writeFileSync(
      path.join(dir, "29990202000000_broken", "migration.sql"),
      `CREATE TABLE "half" ("id" INTEGER); SELECT no_such_function();`,
    );
    await expect(applyMigrations(t.url, dir)).rejects.toThrow(/29990202000000_broken failed/);
    const half = await t.db.$queryRaw<{ t: string | null }[]>`SELECT to_regclass('"half"')::text AS t`;
    expect(half[0].t).toBeNull();
    expect((await migrationStatus(t.url, dir)).pending).toContain("29990202000000_broken");
  });

  // The Prisma CLI needs its schema engine; offline, the shared stand-in provides it.
  const engine = path.resolve("../shared/tools/prisma-offline/schema-engine.mjs");
  it.runIf(usingRealPostgres && existsSync(engine))("agrees with `prisma migrate status`", () => {
    const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "status"], {
      env: { ...process.env, DATABASE_URL: t.url, PRISMA_SCHEMA_ENGINE_BINARY: engine, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.stdout + result.stderr).toMatch(/Database schema is up to date/);
    expect(result.status).toBe(0);
  });
});

describe("20261201163156_watcher_ledger_modes_timestamptz on a database with data", () => {
  const MIGRATION = "20261201163156_watcher_ledger_modes_timestamptz";
  /** The migrations before this one, as a database made before it would have applied them. */
  function migrationsBefore() {
    const dir = copyOfMigrations();
    for (const name of readdirSync(dir))
      if (name >= MIGRATION && !name.endsWith(".toml")) rmSync(path.join(dir, name), { recursive: true });
    return dir;
  }
  const NOON_UTC = Date.UTC(2026, 10, 30, 12, 0, 0) / 1000;

  async function oldDatabaseWithLedger(extraSql = "") {
    const old = await createTestDatabase({ migrationsDir: migrationsBefore() });
    await old.db.$executeRawUnsafe(`INSERT INTO ledger_accounts (id, type, mode) VALUES
      ('test:platform:lightning', 'asset', 'test'), ('test:platform:fees', 'revenue', 'test'),
      ('live:platform:lightning', 'asset', 'live'), ('live:platform:fees', 'revenue', 'live')`);
    // The old columns hold UTC wall time without a zone, as Prisma wrote them.
    await old.db.$executeRawUnsafe(`INSERT INTO journal_entries (id, idempotency_key, kind, created_at) VALUES
      ('e-test', 'settle:test', 'settlement', '2026-11-30 12:00:00'), ('e-live', 'settle:live', 'settlement', '2026-11-30 12:00:00')`);
    await old.db.$executeRawUnsafe(`INSERT INTO postings (id, entry_id, account_id, amount_msat) VALUES
      ('p1', 'e-test', 'test:platform:lightning', 5), ('p2', 'e-test', 'test:platform:fees', -5),
      ('p3', 'e-live', 'live:platform:lightning', 7), ('p4', 'e-live', 'live:platform:fees', -7)`);
    await old.db.$executeRawUnsafe(`INSERT INTO invoices (payment_hash, tenant_id, mode, backend, bolt11, amount_msat, description, expires_at, created_at)
      VALUES ('h1', 'tenant-1', 'live', 'lnd', 'lnbc1', 1000, 'x', '2026-11-30 12:00:00', '2026-11-30 12:00:00')`);
    if (extraSql) await old.db.$executeRawUnsafe(extraSql);
    // The migration runs in a session whose TimeZone is not UTC: no stored instant may move.
    if (old.realPostgres)
      await old.db.$executeRawUnsafe(`ALTER DATABASE "${new URL(old.url).pathname.slice(1)}" SET timezone TO 'America/New_York'`);
    return old;
  }

  it("gives entries and postings their accounts' mode, and keeps every instant", async () => {
    const old = await oldDatabaseWithLedger();
    try {
      expect(await applyMigrations(old.url)).toContain(MIGRATION);
      const client = new pg.Client({ connectionString: old.url });
      await client.connect();
      try {
        const entries = await client.query(
          `SELECT id, mode::text, extract(epoch FROM created_at)::float8 AS at FROM journal_entries ORDER BY id`,
        );
        expect(entries.rows).toEqual([
          { id: "e-live", mode: "live", at: NOON_UTC },
          { id: "e-test", mode: "test", at: NOON_UTC },
        ]);
        const postings = await client.query(`SELECT id, mode::text FROM postings ORDER BY id`);
        expect(postings.rows.map((r) => r.mode)).toEqual(["test", "test", "live", "live"]);
        const invoice = await client.query(`SELECT extract(epoch FROM expires_at)::float8 AS at, lookup_failures FROM invoices`);
        expect(invoice.rows).toEqual([{ at: NOON_UTC, lookup_failures: 0 }]);
        const untyped = await client.query(`SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone'`);
        expect(untyped.rows).toEqual([]);
        // The backfill's exception is over: the ledger is append-only again.
        await expect(client.query(`UPDATE postings SET amount_msat = 6 WHERE id = 'p1'`)).rejects.toThrow(/append-only/);
        await expect(client.query(`UPDATE journal_entries SET memo = 'x'`)).rejects.toThrow(/append-only/);
      } finally {
        await client.end();
      }
      expect(await old.db.journalEntry.findMany({ select: { id: true, createdAt: true }, orderBy: { id: "asc" } })).toEqual([
        { id: "e-live", createdAt: new Date(NOON_UTC * 1000) },
        { id: "e-test", createdAt: new Date(NOON_UTC * 1000) },
      ]);
    } finally {
      await old.drop();
    }
  });

  it("refuses to guess a mode for an entry that already mixes test and live, and changes nothing", async () => {
    const old = await oldDatabaseWithLedger(`
      INSERT INTO journal_entries (id, idempotency_key, kind) VALUES ('e-mixed', 'settle:mixed', 'settlement');
      INSERT INTO postings (id, entry_id, account_id, amount_msat) VALUES ('p5', 'e-mixed', 'test:platform:lightning', 3), ('p6', 'e-mixed', 'live:platform:fees', -3);`);
    try {
      await expect(applyMigrations(old.url)).rejects.toThrow(/mixing test and live postings: e-mixed/);
      expect((await migrationStatus(old.url)).pending).toContain(MIGRATION);
      const columns = await old.db.$queryRaw<
        { n: bigint }[]
      >`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'postings' AND column_name = 'mode'`;
      expect(Number(columns[0].n)).toBe(0);
    } finally {
      await old.drop();
    }
  });
});
