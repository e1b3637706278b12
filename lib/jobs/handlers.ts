// What the worker does with each queue's jobs. A handler that throws fails the job, and
// pg-boss retries it by its queue's policy (lib/jobs/queues.ts); handlers must therefore be
// safe to run again on the same job (look before acting, key writes by the job's subject).
import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { PAYOUT_QUEUE, PAYOUT_SWEEP_QUEUE, PAYOUT_THRESHOLD_QUEUE } from "../payouts/jobs";
import { runPayout } from "../payouts/run";
import { sweepPayouts } from "../payouts/sweep";
import { takeUnalertedMismatches } from "../reconciliation/queries";
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
      // The operator alert: a log line until an operator webhook takes these.
      for (const run of await takeUnalertedMismatches(db)) {
        console.error(
          `[worker] reconciliation ${run.mode}: ledger ${run.ledgerLightningMsat} msat, backend ${run.backendBalanceMsat ?? "?"} msat, settled minus paid out ${run.flowMsat} msat`,
        );
      }
    },
  },
];
