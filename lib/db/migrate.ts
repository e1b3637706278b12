// Applies prisma/migrations at start-up, without the Prisma CLI or its native engine, so it
// works offline and on PGlite. Bookkeeping uses Prisma's own `_prisma_migrations` table and
// checksum (sha256 of migration.sql), so `prisma migrate status` agrees with what ran here.
import { installJobQueue } from "../jobs/queue";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

// Relative to the working directory: the app, the CLI and the bundled server all run from
// the project root (or /app in the image). MIGRATIONS_DIR overrides it.
export const MIGRATIONS_DIR = path.resolve(process.env.MIGRATIONS_DIR ?? "prisma/migrations");

// Prisma's advisory lock key, so the CLI and this applier never run at the same time.
const MIGRATION_LOCK_KEY = 72707369;

const CREATE_BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied migrations whose file changed since, or that failed half-way. */
  problems: string[];
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function appliedRows(client: pg.Client) {
  const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
  if (!exists.rows[0].t) return [];
  const result = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
  return result.rows.filter((row) => row.rolled_back_at === null);
}

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null };

export function compareMigrations(files: MigrationFile[], rows: AppliedRow[]): MigrationStatus {
  const byName = new Map(rows.map((row) => [row.migration_name, row]));
  const status: MigrationStatus = { applied: [], pending: [], problems: [] };
  for (const file of files) {
    const row = byName.get(file.name);
    if (!row) status.pending.push(file.name);
    else if (!row.finished_at) status.problems.push(`${file.name} failed or is still running`);
    else if (row.checksum !== file.checksum) status.problems.push(`${file.name} was edited after it was applied`);
    else status.applied.push(file.name);
  }
  return status;
}

export async function migrationStatus(url: string, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  return withClient(url, async (client) => compareMigrations(readMigrations(dir), await appliedRows(client)));
}

/** Applies every pending migration, each in its own transaction, then installs the job
 *  queue's schema and queues (lib/jobs/queue.ts). Returns the migration names applied. */
export async function applyMigrations(url: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const applied = await applyPrismaMigrations(url, dir);
  await installJobQueue(url);
  return applied;
}

async function applyPrismaMigrations(url: string, dir: string): Promise<string[]> {
  return withClient(url, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_BOOKKEEPING);
      const status = compareMigrations(readMigrations(dir), await appliedRows(client));
      if (status.problems.length > 0) {
        throw new Error(`Cannot migrate: ${status.problems.join("; ")}`);
      }
      const files = readMigrations(dir).filter((file) => status.pending.includes(file.name));
      for (const file of files) {
        const id = randomUUID();
        await client.query("BEGIN");
        try {
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
            [id, file.checksum, file.name],
          );
          await client.query(file.sql);
          await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`);
        }
      }
      return files.map((file) => file.name);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  });
}
