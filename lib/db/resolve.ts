// Which database this process uses: DATABASE_URL when set, else the embedded PGlite under
// .data/. A running `npm run dev` owns that data directory (PGlite is single-process), so
// it records its address in .data/embedded.json and CLI commands connect to it there.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "./embedded";

export const DATA_DIR = path.resolve(process.env.TOLLBOOTH_DATA_DIR ?? ".data");
const ADDRESS_FILE = path.join(DATA_DIR, "embedded.json");

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** For a CLI command: the configured database, the running dev server's, or a private one. */
export async function connectDatabase(): Promise<ResolvedDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  if (existsSync(ADDRESS_FILE)) {
    const { url, pid } = JSON.parse(readFileSync(ADDRESS_FILE, "utf8")) as { url: string; pid: number };
    if (isAlive(pid)) return { url, embedded: true, stop: async () => {} };
  }
  const db = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, "pglite") });
  return { url: db.url, embedded: true, stop: db.stop };
}

/** For the dev launcher: own the embedded database and advertise its address. */
export async function serveEmbeddedDatabase(port = Number(process.env.EMBEDDED_PG_PORT ?? 0)): Promise<ResolvedDatabase> {
  if (existsSync(ADDRESS_FILE)) {
    const { pid } = JSON.parse(readFileSync(ADDRESS_FILE, "utf8")) as { pid: number };
    if (pid !== process.pid && isAlive(pid)) {
      throw new Error(`Another Tollbooth dev server (pid ${pid}) is using ${DATA_DIR}. Stop it first, or set TOLLBOOTH_DATA_DIR.`);
    }
  }
  const db = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, "pglite"), port });
  writeFileSync(ADDRESS_FILE, JSON.stringify({ url: db.url, pid: process.pid }));
  return {
    url: db.url,
    embedded: true,
    async stop() {
      rmSync(ADDRESS_FILE, { force: true });
      await db.stop();
    },
  };
}
