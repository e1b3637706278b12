// A key's status as the dashboard shows it. Computed in SQL (one definition, used by the key
// table, its filter and sort, its CSV export and a key's page), from the same facts the API
// checks on every request: revoked, expired, or replaced and still within its grace period.
import { Prisma } from "../db/generated/client";

export const KEY_STATUSES = ["active", "rotating", "expired", "revoked"] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

/** The status of the api_keys row aliased `k`, as text. `rotating`: a replacement exists
 *  and the old key still works until its expiry (the grace period chosen at rotation). */
export const keyStatusSql = Prisma.sql`CASE
  WHEN k.revoked_at IS NOT NULL THEN 'revoked'
  WHEN k.expires_at IS NOT NULL AND k.expires_at <= now() THEN 'expired'
  WHEN EXISTS (SELECT 1 FROM api_keys successor WHERE successor.rotated_from_id = k.id) THEN 'rotating'
  ELSE 'active'
END`;

/** "tb_test_AbCd…wxyz": enough to recognise a key, useless to anyone else. */
export const maskKey = (key: { prefix: string; lastFour: string }) => `${key.prefix}…${key.lastFour}`;

/** The api_keys columns both key queries read (snake case, as raw SQL returns them). */
export interface KeyRowColumns {
  id: string;
  name: string;
  prefix: string;
  last_four: string;
  scopes: string[];
  allowed_ips: string[];
  status: KeyStatus;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}
