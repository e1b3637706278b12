// The job queue: pg-boss on the app's own Postgres (its tables live in the `pgboss`
// schema). Jobs that follow a database change are enqueued inside that change's
// transaction (`enqueue(tx, ...)`), so a crash between "wrote the row" and "queued the
// job" cannot happen: both commit or neither does.
import PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { JOB_QUEUES, type QueueDefinition } from "./queues";

export const JOB_SCHEMA = "pgboss";

/** Anything that runs raw SQL: the Prisma client, or a Prisma interactive transaction. */
export type SqlRunner = Pick<Db, "$queryRawUnsafe">;

/** pg-boss's `db` option over a Prisma client or transaction. pg-boss hands objects
 *  (job data) to the driver as-is; Prisma wants them as JSON text for a ::jsonb cast. */
export function sqlExecutor(runner: SqlRunner): PgBoss.Db {
  return {
    async executeSql(text, values = []) {
      const params = values.map((value) =>
        value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value,
      );
      return { rows: await runner.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params) };
    },
  };
}

// Sending needs no connection of its own (every send passes the caller's executor), so
// one unstarted instance per process serves every enqueue.
let sender: PgBoss | undefined;
function sendingBoss(): PgBoss {
  sender ??= new PgBoss({ connectionString: "postgres://unused", schema: JOB_SCHEMA });
  return sender;
}

export type JobData = Record<string, unknown>;

/**
 * Queues a job through `runner`: pass the transaction that made the change the job
 * follows. Throws when the queue does not exist (pg-boss would silently insert nothing),
 * which rolls that transaction back rather than losing the job.
 */
export async function enqueue(runner: SqlRunner, queue: string, data: JobData, options: PgBoss.SendOptions = {}): Promise<string> {
  const id = await sendingBoss().send(queue, data, { ...options, db: sqlExecutor(runner) });
  if (id) return id;
  if (options.singletonKey) return ""; // a singleton already queued: nothing to add
  throw new Error(`Job queue "${queue}" does not exist (migrations not applied?)`);
}

/** Whether a job of `queue` is due and waiting to be fetched (created or retry, its start
 *  time passed): the queue is still working through what it has. One probe of pg-boss's own
 *  fetch index. */
export async function hasDueJobs(runner: SqlRunner, queue: string): Promise<boolean> {
  const [row] = await runner.$queryRawUnsafe<{ due: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM ${JOB_SCHEMA}.job WHERE name = $1 AND state < 'active' AND start_after <= now()) AS due`,
    queue,
  );
  return row?.due === true;
}

/** Installs or upgrades pg-boss's schema and creates every queue in JOB_QUEUES (and
 *  updates their retry policy). Run by applyMigrations, so every start and every test
 *  database has them. */
export async function installJobQueue(url: string, queues: QueueDefinition[] = JOB_QUEUES): Promise<void> {
  const boss = new PgBoss({ connectionString: url, schema: JOB_SCHEMA, max: 1, supervise: false, schedule: false });
  boss.on("error", () => {});
  await boss.start();
  try {
    for (const queue of queues) {
      const options = { name: queue.name, ...queue.options };
      if (await boss.getQueue(queue.name)) await boss.updateQueue(queue.name, options);
      else await boss.createQueue(queue.name, options);
      if (queue.cron) await boss.schedule(queue.name, queue.cron, {}, { tz: "UTC" });
      else await boss.unschedule(queue.name);
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
