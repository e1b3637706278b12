// key.expiring: a housekeeping task publishes it once per key and threshold (7 days and 1
// day before expiry; a rotated key's grace period ends in a day, so it gets the 1-day one),
// for tenants with an endpoint subscribed. The idempotency key names the expiry itself, so
// a key whose expiry changes is announced again for the new date.
import type { Db } from "../db/client";
import { enqueue } from "../jobs/queue";
import { SUBSCRIBED_ENDPOINT_SQL, WEBHOOK_EVENT_QUEUE } from "./publish";

const PUBLISH_EXPIRING = `INSERT INTO webhook_events (id, tenant_id, mode, type, idempotency_key, data)
  SELECT 'evt_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 24), k.tenant_id, k.mode, 'key.expiring',
    'key.expiring:' || k.id || ':' || th.label || ':' || (extract(epoch FROM k.expires_at) * 1000)::bigint,
    jsonb_build_object(
      'keyId', k.id, 'name', k.name, 'prefix', k.prefix, 'lastFour', k.last_four, 'threshold', th.label,
      'expiresAt', to_char(k.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'replaced', EXISTS (SELECT 1 FROM api_keys n WHERE n.rotated_from_id = k.id))
  FROM api_keys k CROSS JOIN (VALUES ('7d', interval '7 days'), ('1d', interval '1 day')) AS th(label, within)
  WHERE k.revoked_at IS NULL AND NOT k.internal AND k.expires_at > now() AND k.expires_at <= now() + th.within
    AND EXISTS (${SUBSCRIBED_ENDPOINT_SQL("k.tenant_id", "k.mode", "'key.expiring'")})
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id`;

export async function publishExpiringKeys(db: Db): Promise<number> {
  return db.$transaction(async (tx) => {
    const events = await tx.$queryRawUnsafe<{ id: string }[]>(PUBLISH_EXPIRING);
    for (const event of events) await enqueue(tx, WEBHOOK_EVENT_QUEUE, { eventId: event.id });
    return events.length;
  });
}
