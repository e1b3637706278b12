// Every job queue, with its retry policy. installJobQueue creates them at migration time;
// a domain adds its queue here and its handler in lib/jobs/handlers.ts.
import type PgBoss from "pg-boss";
import { WEBHOOK_DELIVER_QUEUE, WEBHOOK_EVENT_QUEUE } from "../webhooks/queue-names";
import { PAYOUT_QUEUE, PAYOUT_SWEEP_QUEUE, PAYOUT_THRESHOLD_QUEUE } from "../payouts/jobs";
import { RECONCILIATION_QUEUE } from "../reconciliation/run";

export interface QueueDefinition {
  name: string;
  options: Omit<PgBoss.Queue, "name">;
  /** A cron expression (UTC): pg-boss sends the queue a job on that schedule, once across
   *  all workers. */
  cron?: string;
}

export const JOB_QUEUES: QueueDefinition[] = [
  // Fans an event out to the tenant's webhook endpoints (lib/webhooks).
  { name: WEBHOOK_EVENT_QUEUE, options: { retryLimit: 10, retryDelay: 5, retryBackoff: true } },
  // One HTTP attempt of a webhook delivery. An endpoint's failure is not a job failure (the
  // handler records it and schedules its own retry); these retries cover a crash or a
  // database error mid-job.
  { name: WEBHOOK_DELIVER_QUEUE, options: { retryLimit: 5, retryDelay: 30, retryBackoff: true } },
  // One job per payout run (lib/payouts/run.ts). Its own backoff lives on the payout row;
  // these retries only cover a run that threw (the database was away).
  { name: PAYOUT_QUEUE, options: { retryLimit: 10, retryDelay: 10, retryBackoff: true, expireInSeconds: 600 } },
  // Automatic payouts: the threshold check every minute, the sweep every hour.
  { name: PAYOUT_THRESHOLD_QUEUE, options: { retryLimit: 0, expireInSeconds: 300 }, cron: "* * * * *" },
  { name: PAYOUT_SWEEP_QUEUE, options: { retryLimit: 1, expireInSeconds: 900 }, cron: "7 * * * *" },
  // Ledger against the Lightning backend, every 10 minutes (and on demand).
  { name: RECONCILIATION_QUEUE, options: { retryLimit: 1, expireInSeconds: 300 }, cron: "*/10 * * * *" },
];
