// The operator's tenant list: every tenant with its owners, its volume (the rollups) and
// what it is owed (available + pending payout, the ledger), in one mode; searched by name,
// slug or an owner's email; newest first, keyset-paginated.
import { z } from "zod";
import { Prisma } from "../db/generated/client";
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { safeText } from "../schemas/text";
import { decodeCursor, encodeCursor } from "../stats/cursor";
import { queryRows } from "../stats/sql";

export const tenantSearchSchema = z.object({
  q: safeText().trim().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export interface AdminTenantRow {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
  suspendedAt: string | null;
  suspendedReason: string | null;
  ownerEmails: string[];
  payments: number;
  volumeMsat: string;
  availableMsat: string;
  pendingPayoutMsat: string;
}

interface RawTenant {
  id: string;
  name: string;
  slug: string;
  created_at: Date;
  suspended_at: Date | null;
  suspended_reason: string | null;
  owner_emails: string[] | null;
  payments: number;
  volume_msat: string;
  available_msat: string;
  pending_msat: string;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** SQL: a tenant liability account's balance as a person reads it (credits are negative). */
const liability = (mode: KeyMode, suffix: string) =>
  Prisma.sql`COALESCE(-(SELECT SUM(p.amount_msat) FROM postings p WHERE p.account_id = ${`${mode}:tenant:`} || t.id || ${`:${suffix}`} AND p.mode = ${mode}::"KeyMode"), 0)::text`;

function tenantSql(mode: KeyMode, where: Prisma.Sql, limit: number) {
  return Prisma.sql`
    SELECT t.id, t.name, t.slug, t.created_at, t.suspended_at, t.suspended_reason,
      (SELECT array_agg(u.email ORDER BY u.email) FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = t.id AND m.role = 'owner') AS owner_emails,
      COALESCE((SELECT SUM(s.payments) FROM stats_daily s WHERE s.tenant_id = t.id AND s.mode = ${mode}::"KeyMode"), 0)::int AS payments,
      COALESCE((SELECT SUM(s.amount_msat) FROM stats_daily s WHERE s.tenant_id = t.id AND s.mode = ${mode}::"KeyMode"), 0)::text AS volume_msat,
      ${liability(mode, "available")} AS available_msat,
      ${liability(mode, "pending_payout")} AS pending_msat
    FROM tenants t WHERE ${where}
    ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit}`;
}

function toRow(raw: RawTenant): AdminTenantRow {
  return {
    id: raw.id,
    name: raw.name,
    slug: raw.slug,
    createdAt: raw.created_at.toISOString(),
    suspendedAt: raw.suspended_at?.toISOString() ?? null,
    suspendedReason: raw.suspended_reason,
    ownerEmails: raw.owner_emails ?? [],
    payments: raw.payments,
    volumeMsat: raw.volume_msat,
    availableMsat: raw.available_msat,
    pendingPayoutMsat: raw.pending_msat,
  };
}

export async function listTenants(db: Db, mode: KeyMode, query: z.infer<typeof tenantSearchSchema>) {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.q) {
    const pattern = likePattern(query.q);
    conditions.push(Prisma.sql`(t.name ILIKE ${pattern} OR t.slug ILIKE ${pattern} OR EXISTS (
      SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = t.id AND u.email ILIKE ${pattern}))`);
  }
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    conditions.push(Prisma.sql`(t.created_at, t.id) < (${after.at.toISOString()}::timestamptz, ${after.id}::text)`);
  }
  const rows = await queryRows<RawTenant>(db, tenantSql(mode, Prisma.join(conditions, " AND "), query.limit + 1));
  const page = rows.slice(0, query.limit).map(toRow);
  const hasMore = rows.length > query.limit;
  const last = page.at(-1);
  return { data: page, hasMore, nextCursor: hasMore && last ? encodeCursor({ at: new Date(last.createdAt), id: last.id }) : null };
}

/** One tenant with its members, in one mode (null when there is none). */
export async function getTenantDetail(db: Db, mode: KeyMode, tenantId: string) {
  const [row] = await queryRows<RawTenant>(db, tenantSql(mode, Prisma.sql`t.id = ${tenantId}`, 1));
  if (!row) return null;
  const [members, keys] = await Promise.all([
    db.membership.findMany({
      where: { tenantId },
      orderBy: { createdAt: "asc" },
      select: { role: true, createdAt: true, user: { select: { email: true, name: true } } },
    }),
    db.apiKey.groupBy({ by: ["mode"], where: { tenantId, internal: false, revokedAt: null }, _count: true }),
  ]);
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { lightningAddress: true } });
  return {
    ...toRow(row),
    lightningAddress: tenant.lightningAddress,
    members: members.map((m) => ({ email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt.toISOString() })),
    activeKeys: Object.fromEntries(keys.map((k) => [k.mode, k._count])) as Partial<Record<KeyMode, number>>,
  };
}
