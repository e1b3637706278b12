// Publishing a webhook event: called inside the transaction of the change it reports, so
// the event exists exactly when the change does. The event row is stored once per business
// event (unique idempotency key, ON CONFLICT DO NOTHING) and only when an enabled endpoint
// of that tenant and mode subscribes to its type: a tenant without webhooks pays one index
// probe, not a write. A fan-out job (same transaction) then makes one delivery per endpoint.
import { randomUUID } from "node:crypto";
import type { KeyMode } from "../keys/api-keys";
import { enqueue, type SqlRunner } from "../jobs/queue";
import type { WebhookEventType } from "./event-types";
import { encryptSecret } from "./secret-box";

import { WEBHOOK_EVENT_QUEUE } from "./queue-names";

export { WEBHOOK_DELIVER_QUEUE, WEBHOOK_EVENT_QUEUE } from "./queue-names";

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./event-types";

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

/** evt_ + 24 hex characters. Made for every settlement (the hot verify statement takes one
 *  whether or not an endpoint subscribes), so from randomUUID's buffered randomness rather
 *  than a randomBytes call each (which measured ~1.5% of a verification). */
export function newEventId(): string {
  return `evt_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

// Which endpoints receive an event: the same tenant (null: the operator's), mode and type.
// Shared with the hot settlement statement (lib/invoices/settle.ts) and key.expiring: a
// plain equality on tenant_id, so the (tenant_id, mode) index answers it.
export const SUBSCRIBED_ENDPOINT_SQL = (tenant: string | null, mode: string, type: string) =>
  `SELECT 1 FROM webhook_endpoints w WHERE ${tenant === null ? "w.tenant_id IS NULL" : `w.tenant_id = ${tenant}`} AND w.mode = ${mode}
     AND w.enabled AND (${type} = ANY(w.events) OR '*' = ANY(w.events))`;

const insertEvent = (tenant: "tenant" | "operator") => `INSERT INTO webhook_events (id, tenant_id, mode, type, idempotency_key, data)
  SELECT $1, $2, $3::"KeyMode", $4, $5, $6::jsonb
  WHERE EXISTS (${SUBSCRIBED_ENDPOINT_SQL(tenant === "tenant" ? "$2::text" : null, '$3::"KeyMode"', "$4::text")})
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id`;
const INSERT_EVENT = insertEvent("tenant");
const INSERT_OPERATOR_EVENT = insertEvent("operator");

async function storeAndFanOut(
  tx: SqlRunner,
  event: { tenantId: string | null; mode: KeyMode; type: string; data: Record<string, unknown>; idempotencyKey: string },
): Promise<string | null> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    event.tenantId === null ? INSERT_OPERATOR_EVENT : INSERT_EVENT,
    newEventId(),
    event.tenantId,
    event.mode,
    event.type,
    event.idempotencyKey,
    JSON.stringify(event.data),
  );
  const id = rows[0]?.id;
  if (!id) return null;
  await enqueue(tx, WEBHOOK_EVENT_QUEUE, { eventId: id });
  return id;
}

/** Returns the new event's id, or null (nobody subscribed, or already published). */
export async function publishEvent(tx: SqlRunner, event: PublishedEvent): Promise<string | null> {
  return storeAndFanOut(tx, event);
}

export const OPERATOR_ENDPOINT_ID = "we_operator";

export interface OperatorEvent {
  /** e.g. "reconciliation.mismatch". */
  type: string;
  data: Record<string, unknown>;
  idempotencyKey: string;
}

/**
 * An event for the platform operator, delivered to OPERATOR_WEBHOOK_URL signed with
 * OPERATOR_WEBHOOK_SECRET through the same delivery machinery (an endpoint row with no
 * tenant, kept in step with the configuration here). A no-op when no URL is configured.
 */
export async function publishOperatorEvent(tx: SqlRunner, event: OperatorEvent): Promise<string | null> {
  const url = process.env.OPERATOR_WEBHOOK_URL;
  const secret = process.env.OPERATOR_WEBHOOK_SECRET;
  if (!url || !secret) return null;
  await tx.$queryRawUnsafe(
    `INSERT INTO webhook_endpoints (id, tenant_id, mode, url, description, events, secret_ciphertext, updated_at)
     VALUES ($1, NULL, 'live', $2, 'Operator webhook (OPERATOR_WEBHOOK_URL)', ARRAY['*'], $3, now())
     ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, secret_ciphertext = EXCLUDED.secret_ciphertext, updated_at = now()
     RETURNING id`,
    OPERATOR_ENDPOINT_ID,
    url,
    encryptSecret(secret),
  );
  return storeAndFanOut(tx, { ...event, tenantId: null, mode: "live" });
}
