// Every test file gets a database of its own: a fresh database on the server DATABASE_URL
// points at (CI: real Postgres), or a fresh in-memory PGlite when it is unset. Migrations
// are applied by the app's own applier, so the tests also prove that path.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, setDb, type Db } from "../../lib/db/client";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrate";

export interface TestDatabase {
  url: string;
  db: Db;
  /** True on a real Postgres server (needed for tests that race connections). */
  realPostgres: boolean;
  drop(): Promise<void>;
}

export const usingRealPostgres = Boolean(process.env.DATABASE_URL);

/** migrationsDir: migrate from another folder (e.g. only the migrations before one under test). */
export async function createTestDatabase(options: { migrationsDir?: string } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres();
    await applyMigrations(embedded.url, options.migrationsDir);
    const db = createDb(embedded.url, 4);
    setDb(db);
    return {
      url: embedded.url,
      db,
      realPostgres: false,
      drop: async () => {
        await db.$disconnect();
        await embedded.stop();
      },
    };
  }
  const name = `tb_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString(), options.migrationsDir);
  const db = createDb(url.toString(), 20);
  setDb(db);
  return {
    url: url.toString(),
    db,
    realPostgres: true,
    async drop() {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
