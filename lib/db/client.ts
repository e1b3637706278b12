// The one Prisma client of the process. server.ts (Hono) and Next's bundled server code
// run in the same process; keeping the client on globalThis makes them share one pool,
// which matters on embedded PGlite where every query goes through one backend.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { databaseUrl } from "./url";

export type Db = PrismaClient;

const globalForDb = globalThis as unknown as { __tollboothDb?: PrismaClient };

/** The pg pool under each client createDb made: Prisma and the hot statements share it. */
const pools = new WeakMap<PrismaClient, pg.Pool>();

export function createDb(url: string, poolMax = Number(process.env.DATABASE_POOL_MAX ?? 10)): PrismaClient {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    // A database that does not answer (a network partition, not a refusal) must fail
    // requests fast with 503, not hang them: pg waits forever by default. The query
    // timeout is the client's own; every statement here is short (exports read by cursor).
    connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 5000),
    query_timeout: Number(process.env.DATABASE_QUERY_TIMEOUT_MS ?? 30_000),
    // Every session in UTC, whatever the server's or the database's TimeZone: Prisma's pg
    // adapter reads timestamptz values as if the session were UTC (it drops the offset).
    // pg-pool awaits this before it hands the new connection out (a "connect" listener
    // does not: the first query then overlapped the SET, which pg deprecates).
    // (@types/pg types the hook as returning void; pg-pool awaits what it returns.)
    onConnect: (client) => client.query("SET TIME ZONE 'UTC'"),
  });
  // An idle connection that breaks (server restart, dropped database) must not take the
  // process down; the next query reports the problem. (Prisma adds its own listener too.)
  pool.on("error", () => {});
  // disposeExternalPool: $disconnect() still closes the connections, as before.
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = new PrismaClient({ adapter });
  pools.set(client, pool);
  return client;
}

/**
 * The hot path's statements (invoice creation, verification) go to pg directly: Prisma's
 * raw-query path costs ~0.1 ms of CPU per statement in this process (parameter
 * serialisation, its query interpreter, result deserialisation), about as much as the pg driver
 * and the socket write together (see bench/README.md). Each is a named prepared statement,
 * so Postgres parses and plans it once per connection.
 *
 * Clients not made by createDb, or whose pool was closed by $disconnect(), fall back to
 * Prisma's $queryRawUnsafe with the same SQL. Write the SQL so both paths give the same
 * JavaScript values: cast BIGINT to text, timestamps to numbers or booleans, and pass
 * timestamps as ISO strings cast to timestamptz.
 */
export interface HotStatement {
  /** Prepared-statement name: unique per SQL text. */
  name: string;
  text: string;
}

function livePool(db: Db): pg.Pool | undefined {
  const pool = pools.get(db);
  return pool && !pool.ending && !pool.ended ? pool : undefined;
}

/** Pools whose connections share one server session (embedded PGlite behind its socket
 *  server): a statement name prepared on one connection collides on the next, so these
 *  send unnamed statements. */
const sharedSessionPools = new WeakSet<pg.Pool>();
const DUPLICATE_PREPARED_STATEMENT = "42P05";
const UNDEFINED_PREPARED_STATEMENT = "26000";

async function runOnPool(pool: pg.Pool, statement: HotStatement, values: unknown[]) {
  if (!sharedSessionPools.has(pool)) {
    try {
      return await pool.query({ name: statement.name, text: statement.text, values });
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Both fail at Parse or Bind, before anything ran: retrying unnamed is safe.
      if (code !== DUPLICATE_PREPARED_STATEMENT && code !== UNDEFINED_PREPARED_STATEMENT) throw error;
      sharedSessionPools.add(pool);
    }
  }
  return pool.query({ text: statement.text, values });
}

/** Runs a statement that returns rows. */
export async function hotQuery<Row>(db: Db, statement: HotStatement, values: unknown[]): Promise<Row[]> {
  const pool = livePool(db);
  if (!pool) return db.$queryRawUnsafe<Row[]>(statement.text, ...values);
  return (await runOnPool(pool, statement, values)).rows as Row[];
}

/** Runs a statement without result rows; returns the number of rows it changed. */
export async function hotExecute(db: Db, statement: HotStatement, values: unknown[]): Promise<number> {
  const pool = livePool(db);
  if (!pool) return db.$executeRawUnsafe(statement.text, ...values);
  return (await runOnPool(pool, statement, values)).rowCount ?? 0;
}

/** A query whose text varies (filters), on pg directly, unprepared: for reads of hundreds
 *  or thousands of rows (the stats), where Prisma's per-row deserialisation would be most of
 *  the cost. Same values as $queryRawUnsafe (see HotStatement for how to write the SQL). */
export async function bulkQuery<Row>(db: Db, text: string, values: unknown[]): Promise<Row[]> {
  const pool = livePool(db);
  if (!pool) return db.$queryRawUnsafe<Row[]>(text, ...values);
  return (await pool.query({ text, values })).rows as Row[];
}

/**
 * Streams a query's rows `fetchRows` at a time through a server-side cursor (DECLARE … FETCH),
 * in one READ ONLY transaction on a connection of its own: one snapshot for the whole read,
 * and Postgres plans for every row (as it would for COPY), not for the first few. The next
 * FETCH is sent before the caller gets this chunk, so the database works while the caller
 * formats. Stopping early (a cancelled download) closes the cursor and frees the connection.
 * On embedded PGlite the transaction makes other connections wait their turn (the socket
 * server keeps a transaction on its connection): fine at demo sizes. Without a pool of its
 * own (a client not made by createDb) the query runs in one piece.
 */
export async function* cursorRows<Row>(db: Db, text: string, values: unknown[], fetchRows: number): AsyncGenerator<Row[]> {
  const pool = livePool(db);
  if (!pool) {
    const rows = await db.$queryRawUnsafe<Row[]>(text, ...values);
    if (rows.length) yield rows;
    return;
  }
  const client = await pool.connect();
  let broken: Error | undefined;
  let open = false;
  let pending: Promise<pg.QueryResult> | undefined;
  try {
    await client.query("BEGIN READ ONLY");
    open = true;
    await client.query({ text: `DECLARE tb_export NO SCROLL CURSOR FOR ${text}`, values });
    const fetchNext = () => {
      const next = client.query(`FETCH ${Math.trunc(fetchRows)} FROM tb_export`);
      next.catch(() => {});
      return next;
    };
    pending = fetchNext();
    for (;;) {
      const { rows } = await pending;
      pending = undefined;
      if (rows.length === 0) break;
      if (rows.length === fetchRows) pending = fetchNext();
      yield rows as Row[];
      if (!pending) break;
    }
    await client.query("COMMIT");
    open = false;
  } catch (error) {
    broken = error as Error;
    throw error;
  } finally {
    if (open && !broken) {
      // A consumer that stopped early: let the FETCH in flight finish, then end the transaction.
      await pending?.catch(() => {});
      await client.query("ROLLBACK").catch((error: Error) => {
        broken = error;
      });
    }
    // A connection whose transaction state is unknown is not handed to anyone else.
    client.release(broken);
  }
}

/** The pg pool's connections (for /metrics), or undefined for a client createDb did not make. */
export function poolStats(db: Db): { total: number; idle: number; waiting: number } | undefined {
  const pool = pools.get(db);
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined;
}

export function getDb(): PrismaClient {
  globalForDb.__tollboothDb ??= createDb(databaseUrl());
  return globalForDb.__tollboothDb;
}

/** Tests and the launcher point the process at a database chosen at run time. */
export function setDb(db: PrismaClient): void {
  globalForDb.__tollboothDb = db;
}
