// Publishing a webhook event: called inside the transaction of the change it reports, so
// the event exists exactly when the change does. The webhooks worker fans it out to the
// tenant's endpoints (one stored delivery per endpoint).
import type { KeyMode } from "../keys/api-keys";
import { enqueue, type SqlRunner } from "../jobs/queue";

export const WEBHOOK_EVENT_QUEUE = "webhook-event";

export type WebhookEventType =
  | "payment.settled"
  | "payment.failed_call"
  | "payout.succeeded"
  | "payout.failed"
  | "balance.low"
  | "key.expiring";

export interface PublishedEvent {
  tenantId: string;
  mode: KeyMode;
  type: WebhookEventType;
  /** The event's `data` object as receivers will see it (amounts as the API shapes them). */
  data: Record<string, unknown>;
  /** A stable id for the business event (e.g. `payout.succeeded:<payoutId>`): the same
   *  change published twice is one event. */
  idempotencyKey: string;
}

export async function publishEvent(tx: SqlRunner, event: PublishedEvent): Promise<void> {
  await enqueue(tx, WEBHOOK_EVENT_QUEUE, { ...event, createdAt: new Date().toISOString() });
}
