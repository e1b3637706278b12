// What the worker does with each queue's jobs. A handler that throws fails the job, and
// pg-boss retries it by its queue's policy (lib/jobs/queues.ts); handlers must therefore be
// safe to run again on the same job (look before acting, key writes by the job's subject).
import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { deliverWebhook } from "../webhooks/deliver";
import { fanOutEvent } from "../webhooks/fan-out";
import { WEBHOOK_DELIVER_QUEUE, WEBHOOK_EVENT_QUEUE } from "../webhooks/publish";
import { PAYOUT_QUEUE, PAYOUT_SWEEP_QUEUE, PAYOUT_THRESHOLD_QUEUE } from "../payouts/jobs";
import { runPayout } from "../payouts/run";
import { sweepPayouts } from "../payouts/sweep";
import { alertMismatches } from "../reconciliation/alert";
import { RECONCILIATION_QUEUE, runReconciliation } from "../reconciliation/run";

export interface JobHandler {
  queue: string;
  /** Jobs fetched per poll; each one is handled in turn. */
  batchSize?: number;
  pollingIntervalSeconds?: number;
  handle(db: Db, job: PgBoss.Job<Record<string, unknown>>): Promise<void>;
}

export const JOB_HANDLERS: JobHandler[] = [
  {
    queue: WEBHOOK_EVENT_QUEUE,
    // pg-boss waits the polling interval between fetches, so a batch is what sets the pace
    // (~batchSize jobs a second); both handlers are safe to re-run should a batch fail.
    batchSize: 10,
    pollingIntervalSeconds: 1,
    async handle(db, job) {
      await fanOutEvent(db, String(job.data.eventId));
    },
  },
  {
    queue: WEBHOOK_DELIVER_QUEUE,
    batchSize: 10,
    pollingIntervalSeconds: 1,
    async handle(db, job) {
      const expectedAttempts = typeof job.data.expectedAttempts === "number" ? job.data.expectedAttempts : undefined;
      await deliverWebhook(db, String(job.data.deliveryId), { manual: job.data.manual === true, expectedAttempts });
    },
  },
  {
    queue: PAYOUT_QUEUE,
    pollingIntervalSeconds: 1,
    async handle(db, job) {
      await runPayout(db, String(job.data.payoutId));
    },
  },
  {
    queue: PAYOUT_THRESHOLD_QUEUE,
    async handle(db) {
      await sweepPayouts(db, "threshold");
    },
  },
  {
    queue: PAYOUT_SWEEP_QUEUE,
    async handle(db) {
      await sweepPayouts(db, "sweep");
    },
  },
  {
    queue: RECONCILIATION_QUEUE,
    async handle(db) {
      await runReconciliation(db, { trigger: "scheduled" });
      // Each mismatch raised once: the operator webhook and a log line.
      await alertMismatches(db);
    },
  },
];
