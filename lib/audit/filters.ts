// The audit pages' query string: read with the same schema as the API (lib/audit/query.ts).
// A bad filter is shown and left out of the list; the CSV export refuses it instead (a file
// must never hold more than was asked for).
import { AppError } from "../errors";
import { auditFilterSchema, type AuditFilters } from "./query";

export type SearchParams = Record<string, string | string[] | undefined>;
export const AUDIT_FILTER_FIELDS = ["actor", "action", "tenant", "from", "to"] as const;
export type AuditFilterValues = Partial<Record<(typeof AUDIT_FILTER_FIELDS)[number], string>>;

export function auditFilterValues(params: SearchParams): AuditFilterValues {
  const values: AuditFilterValues = {};
  for (const field of AUDIT_FILTER_FIELDS) {
    const raw = params[field];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) values[field] = value;
  }
  return values;
}

export function parseAuditFilters(
  params: SearchParams,
  limit = 50,
): { values: AuditFilterValues; filters: AuditFilters; problem?: AppError } {
  const values = auditFilterValues(params);
  const cursor = Array.isArray(params.cursor) ? params.cursor[0] : params.cursor;
  const parsed = auditFilterSchema.safeParse({ ...values, cursor: cursor || undefined, limit });
  if (parsed.success) return { values, filters: parsed.data };
  const issue = parsed.error.issues[0];
  const problem = new AppError("invalid_request_error", "invalid_parameter", issue.message, { param: issue.path.join(".") || undefined });
  return { values, filters: { limit }, problem };
}

/** "?actor=…&from=…" (and the cursor), for links that keep the filters. */
export function auditFilterQuery(values: AuditFilterValues, cursor?: string | null): string {
  const params = new URLSearchParams();
  for (const field of AUDIT_FILTER_FIELDS) if (values[field]) params.set(field, values[field]!);
  if (cursor) params.set("cursor", cursor);
  const text = params.toString();
  return text ? `?${text}` : "";
}
