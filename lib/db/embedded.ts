// The embedded default: a PGlite database (Postgres compiled to WebAssembly) served over the
// Postgres wire protocol, so the app talks to it through the same `pg` driver as to a real
// server. PGlite runs one backend: good for a demo and for tests that don't race, not for
// production (set DATABASE_URL there).
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { mkdirSync } from "node:fs";

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** dataDir undefined → in memory (tests). port 0 → any free port. */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  // The server queues queries and keeps a transaction on the connection that opened it,
  // so several pooled connections are safe; they just take turns.
  const server = new PGLiteSocketServer({ db, port: options.port ?? 0, host: "127.0.0.1", maxConnections: 32 });
  await server.start();
  const url = `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
