// The fan-out job: one delivery per subscribed, enabled endpoint (unique per event and
// endpoint, so a re-run adds nothing) and a deliver job for each new one, in one
// transaction. Two sweeps queue again what never got done: the fan-out of an event (the hot
// settlement statement stores its event and queues the fan-out just after it commits), and
// a delivery whose job a dead worker held. pg-boss keeps a dead worker's jobs, and the rest
// of the batch it had fetched, active until they expire (15 minutes); a re-queued job is
// harmless, since both jobs skip work already done.
import type { Db } from "../db/client";
import { enqueue, hasDueJobs, type SqlRunner } from "../jobs/queue";
import { webhookPolicy, type WebhookPolicy } from "./config";
import { WEBHOOK_DELIVER_QUEUE, WEBHOOK_EVENT_QUEUE } from "./publish";

const CREATE_DELIVERIES = `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, updated_at)
  SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), e.id, w.id, now()
  FROM webhook_events e JOIN webhook_endpoints w
    ON (w.tenant_id = e.tenant_id OR (e.tenant_id IS NULL AND w.tenant_id IS NULL)) AND w.mode = e.mode AND w.enabled
   AND (e.type = ANY(w.events) OR '*' = ANY(w.events))
  WHERE e.id = $1 AND e.fanned_out_at IS NULL
  ON CONFLICT (event_id, endpoint_id) DO NOTHING
  RETURNING id`;

export async function fanOutEvent(db: Db, eventId: string): Promise<number> {
  return db.$transaction(async (tx) => {
    const created = await tx.$queryRawUnsafe<{ id: string }[]>(CREATE_DELIVERIES, eventId);
    for (const delivery of created) await enqueueDelivery(tx, delivery.id, { expectedAttempts: 0 });
    await tx.$executeRaw`UPDATE webhook_events SET fanned_out_at = now() WHERE id = ${eventId} AND fanned_out_at IS NULL`;
    return created.length;
  });
}

export async function enqueueDelivery(
  tx: SqlRunner,
  deliveryId: string,
  options: { manual?: boolean; afterSeconds?: number; expectedAttempts?: number } = {},
) {
  await enqueue(
    tx,
    WEBHOOK_DELIVER_QUEUE,
    // expectedAttempts: the claim deliverWebhook checks (manual attempts make none).
    { deliveryId, manual: options.manual ?? false, ...(options.manual ? {} : { expectedAttempts: options.expectedAttempts ?? 0 }) },
    options.afterSeconds ? { startAfter: options.afterSeconds } : {},
  );
}

/** Events never fanned out recoverAfterSeconds (a minute) after they were stored get their
 *  job again (at most one such job per event per 5 of those, so a backlogged queue is not
 *  flooded with copies). */
export async function sweepUnfannedEvents(db: Db, policy: WebhookPolicy = webhookPolicy()): Promise<number> {
  const stale = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM webhook_events WHERE fanned_out_at IS NULL AND created_at < now() - make_interval(secs => ${policy.recoverAfterSeconds}::float8)
    ORDER BY created_at LIMIT 500`;
  const singletonSeconds = Math.max(1, Math.round(5 * policy.recoverAfterSeconds));
  for (const event of stale)
    await enqueue(db, WEBHOOK_EVENT_QUEUE, { eventId: event.id }, { singletonKey: `fan-out:${event.id}`, singletonSeconds });
  return stale.length;
}

/**
 * Deliveries still to be made recoverAfterSeconds after they were due, and untouched that
 * long (an attempt marks its delivery when it starts and when it ends, so one still waiting
 * for its answer is left alone: the window is never shorter than a request's timeout), get a
 * deliver job again; marking them in the same statement holds off the next sweep as long.
 * Only while no deliver job is waiting: a backlog is not a dead worker, and copies of its
 * jobs would only slow it down (pg-boss's own expiry still frees what a dead worker held).
 * A live batch slower than the window (ten endpoints timing out) can get a copy too; the
 * copy and the original claim the same attempt (expectedAttempts), so only one is made.
 */
export async function sweepStalledDeliveries(db: Db, policy: WebhookPolicy = webhookPolicy()): Promise<number> {
  if (await hasDueJobs(db, WEBHOOK_DELIVER_QUEUE)) return 0;
  const seconds = Math.max(policy.recoverAfterSeconds, policy.timeoutMs / 1000);
  // A copy claims the attempt the delivery is at (deliverWebhook's expectedAttempts): if the
  // original job turns up after all, only one of the two makes it. Deliveries older than
  // the retry horizon are left to fail: one that can never be attempted (its handler throws
  // first) must not come back forever. 100 a run, with time to queue them (Prisma's default
  // 5 s transaction limit would roll a slow run back, and the next would meet the same rows).
  return db.$transaction(
    async (tx) => {
      // Past the horizon and never finished (no job could make its attempt): failed, with
      // the reason on the delivery log, rather than "pending" for ever.
      await tx.$executeRaw`
        UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL, updated_at = now(),
          last_error = 'not delivered within the retry window'
        WHERE state IN ('pending', 'retrying')
          AND created_at <= now() - make_interval(secs => ${policy.disableAfterSeconds}::float8)
          AND COALESCE(next_attempt_at, created_at) < now() - make_interval(secs => ${seconds}::float8)
          AND updated_at < now() - make_interval(secs => ${seconds}::float8)`;
      const stalled = await tx.$queryRaw<{ id: string; attempts: number }[]>`
        UPDATE webhook_deliveries SET updated_at = now()
        WHERE id IN (
          SELECT id FROM webhook_deliveries
          WHERE state IN ('pending', 'retrying')
            AND COALESCE(next_attempt_at, created_at) < now() - make_interval(secs => ${seconds}::float8)
            AND updated_at < now() - make_interval(secs => ${seconds}::float8)
            AND created_at > now() - make_interval(secs => ${policy.disableAfterSeconds}::float8)
          ORDER BY COALESCE(next_attempt_at, created_at) LIMIT 100
          FOR UPDATE SKIP LOCKED)
        RETURNING id, attempts`;
      for (const delivery of stalled) await enqueueDelivery(tx, delivery.id, { expectedAttempts: delivery.attempts });
      return stalled.length;
    },
    { timeout: 30_000 },
  );
}
