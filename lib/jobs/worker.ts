// The background worker: pg-boss handlers (lib/jobs/handlers.ts) plus the periodic
// housekeeping tasks (lib/jobs/housekeeping.ts). `npm run worker` runs it on its own;
// `npm run dev` runs it inside the app process. Every line logged while a job runs carries
// its jobId and queue, and every line of one housekeeping run its runId (a log scope,
// lib/log/scope.ts: the worker is not the API, so its AsyncLocalStorage costs no request).
import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { runWithLogFields } from "../log/scope";
import { JOB_HANDLERS, type JobHandler } from "./handlers";
import { runHousekeeping, HOUSEKEEPING_TASKS, type HousekeepingTask } from "./housekeeping";
import { JOB_SCHEMA } from "./queue";

export interface WorkerOptions {
  db: Db;
  url: string;
  handlers?: JobHandler[];
  tasks?: HousekeepingTask[];
  intervalMs?: number;
  /** Connections pg-boss may open (fetching and completing jobs). */
  poolMax?: number;
  log?: Pick<Console, "log" | "error">;
}

export interface RunningWorker {
  /** Resolves once the job queue is taking jobs (it keeps retrying until it is). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { db, url, log = console } = options;
  const handlers = options.handlers ?? JOB_HANDLERS;
  const intervalMs = options.intervalMs ?? Number(process.env.WORKER_INTERVAL_SECONDS ?? 15) * 1000;
  let stopping = false;
  let boss: PgBoss | undefined;
  let bossTimer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  // A database that is not up yet must not stop the worker: starting is retried (with a
  // fresh instance) until it works, while the housekeeping loop below runs and reports
  // its own failures.
  const startBoss = async (): Promise<void> => {
    const attempt = new PgBoss({ connectionString: url, schema: JOB_SCHEMA, max: options.poolMax ?? 2, migrate: false });
    // pg-boss reports connection trouble as events; an unhandled one would end the process.
    attempt.on("error", (error) => log.error(`[worker] job queue: ${error.message}`));
    try {
      await attempt.start();
      for (const handler of handlers) await work(attempt, handler, db, log);
      boss = attempt;
      markReady();
    } catch (error) {
      log.error(`[worker] job queue failed to start: ${error instanceof Error ? error.message : String(error)}`);
      await attempt.stop({ graceful: false, wait: true }).catch(() => {});
      if (!stopping) {
        bossTimer = setTimeout(
          () => {
            starting = startBoss();
          },
          Math.max(intervalMs, 1000),
        );
      }
    }
  };
  let starting = startBoss();

  // Every run, the first included, is guarded (runHousekeeping never throws): a database
  // that is not up yet is logged and retried, not a crash. The next run is scheduled only
  // when this one has finished, so slow lookups never pile runs up.
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const loop = async () => {
    running = runWithLogFields({ runId: randomUUID() }, () => runHousekeeping(db, options.tasks ?? HOUSEKEEPING_TASKS, log));
    await running;
    if (!stopping) timer = setTimeout(loop, intervalMs);
  };
  void loop();

  return {
    ready,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      clearTimeout(bossTimer);
      await Promise.all([running.catch(() => {}), starting]);
      await boss?.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
    },
  };
}

async function work(boss: PgBoss, handler: JobHandler, db: Db, log: Pick<Console, "error">): Promise<void> {
  await boss.work<Record<string, unknown>>(
    handler.queue,
    { batchSize: handler.batchSize ?? 1, pollingIntervalSeconds: handler.pollingIntervalSeconds ?? 2 },
    async (jobs) => {
      // A throw fails every job of the batch (pg-boss retries them all): hence batchSize 1
      // unless a handler is cheap to repeat.
      for (const job of jobs) {
        await runWithLogFields({ jobId: job.id, queue: handler.queue }, async () => {
          try {
            await handler.handle(db, job);
          } catch (error) {
            log.error(`[worker] ${handler.queue} job ${job.id} failed: ${error instanceof Error ? error.message : String(error)}`);
            throw error;
          }
        });
      }
    },
  );
}
