// The one Prisma client of the process. server.ts (Hono) and Next's bundled server code
// run in the same process; keeping the client on globalThis makes them share one pool,
// which matters on embedded PGlite where every query goes through one backend.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { databaseUrl } from "./url";

export type Db = PrismaClient;

const globalForDb = globalThis as unknown as { __tollboothDb?: PrismaClient };

export function createDb(url: string, poolMax = Number(process.env.DATABASE_POOL_MAX ?? 10)): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: poolMax });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  globalForDb.__tollboothDb ??= createDb(databaseUrl());
  return globalForDb.__tollboothDb;
}

/** Tests and the launcher point the process at a database chosen at run time. */
export function setDb(db: PrismaClient): void {
  globalForDb.__tollboothDb = db;
}
