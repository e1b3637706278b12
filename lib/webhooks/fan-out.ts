// The fan-out job: one delivery per subscribed, enabled endpoint (unique per event and
// endpoint, so a re-run adds nothing) and a deliver job for each new one, in one
// transaction. The sweep re-queues fan-out for an event that never got it (the hot
// settlement statement stores its event and queues the fan-out just after it commits).
import type { Db } from "../db/client";
import { enqueue, type SqlRunner } from "../jobs/queue";
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
    for (const delivery of created) await enqueueDelivery(tx, delivery.id);
    await tx.$executeRaw`UPDATE webhook_events SET fanned_out_at = now() WHERE id = ${eventId} AND fanned_out_at IS NULL`;
    return created.length;
  });
}

export async function enqueueDelivery(tx: SqlRunner, deliveryId: string, options: { manual?: boolean; afterSeconds?: number } = {}) {
  await enqueue(
    tx,
    WEBHOOK_DELIVER_QUEUE,
    { deliveryId, manual: options.manual ?? false },
    options.afterSeconds ? { startAfter: options.afterSeconds } : {},
  );
}

/** Events older than a minute that were never fanned out get their job again (at most one
 *  such job per event per 5 minutes, so a backlogged queue is not flooded with copies). */
export async function sweepUnfannedEvents(db: Db): Promise<number> {
  const stale = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM webhook_events WHERE fanned_out_at IS NULL AND created_at < now() - interval '1 minute'
    ORDER BY created_at LIMIT 500`;
  for (const event of stale)
    await enqueue(db, WEBHOOK_EVENT_QUEUE, { eventId: event.id }, { singletonKey: `fan-out:${event.id}`, singletonSeconds: 300 });
  return stale.length;
}
