// The app's own migration applier: idempotent, Prisma-compatible bookkeeping, and honest
// about edited or pending migrations (which /api/health reports).
import { cpSync, mkdtempSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
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
