// The API keys table: one mode's keys with status, last use, and calls and sats this month
// (paid invoices the key issued, settled since the 1st, UTC). Search, status filter and sort
// run in Postgres; the page and the CSV export both read through here.
import { z } from "zod";
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import type { KeyMode } from "../api-keys";
import { KEY_STATUSES, keyStatusSql, maskKey, type KeyRowColumns, type KeyStatus } from "../status";

export const KEY_SORTS = ["created", "name", "last_used", "calls", "sats", "status"] as const;
export type KeySort = (typeof KEY_SORTS)[number];

/** The table's URL parameters (?q=&status=&sort=&dir=); anything unknown falls back to the default. */
export const keyTableParamsSchema = z.object({
  q: z.string().trim().max(100).catch(""),
  status: z.enum(["all", ...KEY_STATUSES]).catch("all"),
  sort: z.enum(KEY_SORTS).catch("created"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
});
export type KeyTableParams = z.infer<typeof keyTableParamsSchema>;

export function parseKeyTableParams(input: Record<string, string | string[] | undefined>): KeyTableParams {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return keyTableParamsSchema.parse({ q: first(input.q), status: first(input.status), sort: first(input.sort), dir: first(input.dir) });
}

export interface KeyTableRow {
  id: string;
  name: string;
  maskedKey: string;
  scopes: string[];
  allowedIps: string[];
  status: KeyStatus;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  callsThisMonth: number;
  satsThisMonth: number;
}

// Whitelisted ORDER BY columns (of the row set below): never user text in SQL.
const ORDER_BY: Record<KeySort, string> = {
  created: "created_at",
  name: "lower(name)",
  last_used: "last_used_at",
  calls: "calls",
  sats: "msat",
  status: "status",
};

export const startOfMonthUtc = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

export async function getKeyTable(
  db: Db,
  tenantId: string,
  mode: KeyMode,
  params: KeyTableParams,
  now = new Date(),
): Promise<KeyTableRow[]> {
  const search = params.q ? `%${params.q.replace(/[\\%_]/g, "\\$&")}%` : null;
  const rows = await db.$queryRaw<(KeyRowColumns & { calls: number; msat: bigint })[]>`
    SELECT * FROM (
      SELECT k.id, k.name, k.prefix, k.last_four, k.scopes, k.allowed_ips, k.created_at, k.last_used_at, k.expires_at,
        k.revoked_at, ${keyStatusSql} AS status, usage.calls, usage.msat
      FROM api_keys k
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS calls, COALESCE(sum(i.amount_msat), 0)::bigint AS msat
        FROM invoices i
        WHERE i.api_key_id = k.id AND i.tenant_id = k.tenant_id AND i.mode = k.mode
          AND i.state = 'paid' AND i.settled_at >= ${startOfMonthUtc(now).toISOString()}::timestamptz
      ) usage
      -- The dashboard's own test-call key (lib/onboarding/test-call-key.ts) is not the owner's.
      WHERE k.tenant_id = ${tenantId} AND k.mode = ${mode}::"KeyMode" AND NOT k.internal
        AND (${search}::text IS NULL OR k.name ILIKE ${search} OR k.prefix ILIKE ${search} OR k.last_four ILIKE ${search}
             OR k.id = ${params.q})
    ) keys
    WHERE ${params.status} = 'all' OR status = ${params.status}
    ORDER BY ${Prisma.raw(ORDER_BY[params.sort])} ${Prisma.raw(params.dir === "asc" ? "ASC" : "DESC")} NULLS LAST, id`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    maskedKey: maskKey({ prefix: r.prefix, lastFour: r.last_four }),
    scopes: r.scopes,
    allowedIps: r.allowed_ips,
    status: r.status,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    callsThisMonth: r.calls,
    satsThisMonth: Number(r.msat / 1000n),
  }));
}
