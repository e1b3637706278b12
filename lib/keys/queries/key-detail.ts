// One key's page: the key, the key it replaced and the key that replaced it, its paid calls
// and sats per day (UTC) over the last 30 days, and the most recent invoices it issued.
// Only a key of the dashboard's mode shows its usage: test and live data never mix.
import type { Db } from "../../db/client";
import type { KeyMode } from "../api-keys";
import { keyStatusSql, maskKey, type KeyRowColumns, type KeyStatus } from "../status";

export const USAGE_DAYS = 30;
const RECENT_CALLS = 20;

export interface KeyUsageDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  calls: number;
  sats: number;
}

export interface KeyRecentCall {
  paymentHash: string;
  endpoint: string;
  amountSats: number;
  state: "pending" | "paid" | "expired";
  createdAt: Date;
  settledAt: Date | null;
}

export interface KeyDetail {
  id: string;
  name: string;
  mode: KeyMode;
  maskedKey: string;
  scopes: string[];
  allowedIps: string[];
  status: KeyStatus;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  rotatedFrom: { id: string; name: string; maskedKey: string } | null;
  replacedBy: { id: string; name: string; maskedKey: string } | null;
  /** False when the key belongs to the other mode: no usage is read for it. */
  inMode: boolean;
  usage: KeyUsageDay[];
  recentCalls: KeyRecentCall[];
}

/** The key's page, or null when the tenant has no such key (another tenant's id included). */
export async function getKeyDetail(db: Db, tenantId: string, mode: KeyMode, keyId: string, now = new Date()): Promise<KeyDetail | null> {
  const [key] = await db.$queryRaw<(KeyRowColumns & { mode: KeyMode; rotated_from_id: string | null })[]>`
    SELECT k.id, k.name, k.mode::text AS mode, k.prefix, k.last_four, k.scopes, k.allowed_ips, ${keyStatusSql} AS status,
      k.created_at, k.last_used_at, k.expires_at, k.revoked_at, k.rotated_from_id
    FROM api_keys k WHERE k.id = ${keyId} AND k.tenant_id = ${tenantId} AND NOT k.internal`;
  if (!key) return null;

  const linked = (k: { id: string; name: string; prefix: string; lastFour: string } | null) =>
    k ? { id: k.id, name: k.name, maskedKey: maskKey(k) } : null;
  const select = { id: true, name: true, prefix: true, lastFour: true } as const;
  const inMode = key.mode === mode;
  const [rotatedFrom, replacedBy, usage, recentCalls] = await Promise.all([
    key.rotated_from_id ? db.apiKey.findFirst({ where: { id: key.rotated_from_id, tenantId }, select }) : null,
    db.apiKey.findFirst({ where: { rotatedFromId: key.id, tenantId }, select, orderBy: { createdAt: "asc" } }),
    inMode ? usageByDay(db, tenantId, key.id, now) : [],
    inMode ? recent(db, tenantId, key.id) : [],
  ]);
  return {
    id: key.id,
    name: key.name,
    mode: key.mode,
    maskedKey: maskKey({ prefix: key.prefix, lastFour: key.last_four }),
    scopes: key.scopes,
    allowedIps: key.allowed_ips,
    status: key.status,
    createdAt: key.created_at,
    lastUsedAt: key.last_used_at,
    expiresAt: key.expires_at,
    revokedAt: key.revoked_at,
    rotatedFrom: linked(rotatedFrom),
    replacedBy: linked(replacedBy),
    inMode,
    usage,
    recentCalls,
  };
}

async function usageByDay(db: Db, tenantId: string, keyId: string, now: Date): Promise<KeyUsageDay[]> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (USAGE_DAYS - 1) * 86_400_000);
  const rows = await db.$queryRaw<{ day: string; calls: number; msat: bigint }[]>`
    SELECT to_char(i.settled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS calls, sum(i.amount_msat)::bigint AS msat
    FROM invoices i
    WHERE i.api_key_id = ${keyId} AND i.tenant_id = ${tenantId} AND i.state = 'paid' AND i.settled_at >= ${from.toISOString()}::timestamptz
    GROUP BY 1`;
  const byDay = new Map(rows.map((r) => [r.day, r]));
  // Every day of the range, the quiet ones as zero, so the chart's axis is even.
  return Array.from({ length: USAGE_DAYS }, (_, i) => {
    const date = new Date(from.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const row = byDay.get(date);
    return { date, calls: row?.calls ?? 0, sats: row ? Number(row.msat / 1000n) : 0 };
  });
}

async function recent(db: Db, tenantId: string, keyId: string): Promise<KeyRecentCall[]> {
  const rows = await db.$queryRaw<
    {
      payment_hash: string;
      endpoint: string | null;
      amount_msat: bigint;
      state: KeyRecentCall["state"];
      created_at: Date;
      settled_at: Date | null;
    }[]
  >`
    SELECT i.payment_hash, t.endpoint_label AS endpoint, i.amount_msat, i.state::text AS state, i.created_at, i.settled_at
    FROM invoices i LEFT JOIN l402_tokens t ON t.payment_hash = i.payment_hash
    WHERE i.api_key_id = ${keyId} AND i.tenant_id = ${tenantId}
    ORDER BY i.created_at DESC, i.payment_hash
    LIMIT ${RECENT_CALLS}`;
  return rows.map((r) => ({
    paymentHash: r.payment_hash,
    endpoint: r.endpoint ?? "—",
    amountSats: Number(r.amount_msat / 1000n),
    state: r.state,
    createdAt: r.created_at,
    settledAt: r.settled_at,
  }));
}
