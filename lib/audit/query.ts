// The audit log as its pages show it: one tenant's events (an owner's page) or every
// tenant's (the operator's), filtered by who, what and when, newest first, keyset-paginated.
// "Who" is always a person's name or email, "Platform operator", an API key's masked
// prefix, or "system": never a raw id.
import { z } from "zod";
import { Prisma } from "../db/generated/client";
import type { Db } from "../db/client";
import { safeText } from "../schemas/text";
import { decodeCursor, encodeCursor } from "../stats/cursor";
import { queryRows } from "../stats/sql";
import { actionLabel } from "./labels";

const day = z.iso.date("Use a date like 2026-12-01.");

export const auditFilterSchema = z
  .object({
    actor: safeText().trim().max(200).optional(),
    action: z
      .string()
      .trim()
      .max(100)
      .regex(/^[a-z_]+(\.[a-z_]*)?$/, "Not an audit action.")
      .optional(),
    /** The operator's log: one workspace, by slug. */
    tenant: safeText().trim().max(100).optional(),
    from: day.optional(),
    to: day.optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The start date is after the end date.", path: ["from"] });
export type AuditFilters = z.infer<typeof auditFilterSchema>;

/** An owner's log is one tenant's; the operator's is every tenant's (and tenant-less events). */
export type AuditScope = { tenantId: string } | { allTenants: true; actions?: readonly string[] };

export interface AuditRow {
  id: string;
  createdAt: string;
  action: string;
  actionLabel: string;
  who: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  tenant: { id: string; name: string; slug: string } | null;
}

interface RawEvent {
  id: string;
  created_at: Date;
  action: string;
  target: string | null;
  ip: string | null;
  user_agent: string | null;
  actor_user_id: string | null;
  actor_label: string | null;
  operator: boolean | null;
  user_email: string | null;
  user_name: string | null;
  tenant_id: string | null;
  tenant_name: string | null;
  tenant_slug: string | null;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whoLabel(raw: RawEvent, forOperator: boolean): string {
  const person = raw.user_name || raw.user_email;
  if (raw.operator) return forOperator ? `operator: ${person ?? raw.actor_label ?? "API token"}` : "Platform operator";
  if (person) return person;
  if (raw.actor_label?.startsWith("tb_")) return `API key ${raw.actor_label}`;
  if (raw.actor_label) return raw.actor_label;
  return raw.actor_user_id ? "a deleted user" : "system";
}

function whereSql(scope: AuditScope, filters: AuditFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if ("tenantId" in scope) conditions.push(Prisma.sql`e.tenant_id = ${scope.tenantId}`);
  else if (scope.actions) {
    const exact = scope.actions.filter((a) => !a.endsWith("."));
    const prefixes = scope.actions.filter((a) => a.endsWith(".")).map((a) => `${a}%`);
    conditions.push(Prisma.sql`(e.action = ANY(${exact}::text[]) OR e.action LIKE ANY(${prefixes}::text[]))`);
  }
  if (filters.action) {
    conditions.push(
      filters.action.endsWith(".") ? Prisma.sql`e.action LIKE ${`${filters.action}%`}` : Prisma.sql`e.action = ${filters.action}`,
    );
  }
  if (filters.actor) {
    const pattern = likePattern(filters.actor);
    conditions.push(Prisma.sql`(u.email ILIKE ${pattern} OR u.name ILIKE ${pattern} OR e.actor_label ILIKE ${pattern})`);
  }
  if (filters.tenant) conditions.push(Prisma.sql`t.slug = ${filters.tenant}`);
  if (filters.from) conditions.push(Prisma.sql`e.created_at >= ${filters.from}::date`);
  if (filters.to) conditions.push(Prisma.sql`e.created_at < ${filters.to}::date + 1`);
  if (filters.cursor) {
    const after = decodeCursor(filters.cursor);
    conditions.push(Prisma.sql`(e.created_at, e.id) < (${after.at.toISOString()}::timestamptz, ${after.id}::text)`);
  }
  return conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`;
}

async function fetchEvents(db: Db, scope: AuditScope, filters: AuditFilters, limit: number): Promise<RawEvent[]> {
  return queryRows<RawEvent>(
    db,
    Prisma.sql`
      SELECT e.id, e.created_at, e.action, e.target, e.ip, e.user_agent, e.actor_user_id, e.actor_label,
        (e.metadata->>'operator')::boolean AS operator, u.email AS user_email, u.name AS user_name,
        t.id AS tenant_id, t.name AS tenant_name, t.slug AS tenant_slug
      FROM audit_events e
        LEFT JOIN users u ON u.id = e.actor_user_id
        LEFT JOIN tenants t ON t.id = e.tenant_id
      WHERE ${whereSql(scope, filters)}
      ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit}`,
  );
}

function toRow(raw: RawEvent, forOperator: boolean): AuditRow {
  return {
    id: raw.id,
    createdAt: raw.created_at.toISOString(),
    action: raw.action,
    actionLabel: actionLabel(raw.action),
    who: whoLabel(raw, forOperator),
    target: raw.target,
    ip: raw.ip,
    userAgent: raw.user_agent,
    tenant: raw.tenant_id ? { id: raw.tenant_id, name: raw.tenant_name ?? "", slug: raw.tenant_slug ?? "" } : null,
  };
}

/** `forOperator`: name operators in "who" (an owner's page says "Platform operator"). */
export async function listAuditPage(db: Db, scope: AuditScope, filters: AuditFilters, forOperator = !("tenantId" in scope)) {
  const rows = await fetchEvents(db, scope, filters, filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  const hasMore = rows.length > filters.limit;
  const last = page.at(-1);
  return {
    data: page.map((raw) => toRow(raw, forOperator)),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor({ at: last.created_at, id: last.id }) : null,
  };
}

/** Every matching event, a page at a time (for the CSV export). */
export async function* auditRows(db: Db, scope: AuditScope, filters: Omit<AuditFilters, "cursor" | "limit">, pageSize = 500) {
  let cursor: string | undefined;
  do {
    const page = await listAuditPage(db, scope, { ...filters, cursor, limit: pageSize });
    yield page.data;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
