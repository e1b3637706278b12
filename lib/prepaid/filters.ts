// The payer tokens page's query string, read the same way by the page and its CSV export.
import { z } from "zod";
import { safeText } from "../schemas/text";
import { PAYER_TOKEN_STATUSES } from "./queries/status";
import { PAYER_TOKEN_SORTS } from "./queries/list";

export type SearchParams = Record<string, string | string[] | undefined>;

const schema = z.object({
  // A filter Postgres cannot read (NUL) is dropped like any other unusable one.
  q: safeText().trim().max(100).optional().catch(undefined),
  status: z.enum(PAYER_TOKEN_STATUSES).optional().catch(undefined),
  endpoint: safeText().trim().max(400).optional().catch(undefined),
  sort: z.enum(PAYER_TOKEN_SORTS).optional().catch(undefined),
  cursor: safeText().max(200).optional().catch(undefined),
});
export type PayerTokenFilters = z.infer<typeof schema>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export function parsePayerTokenFilters(params: SearchParams): PayerTokenFilters {
  return schema.parse({
    q: first(params.q),
    status: first(params.status),
    endpoint: first(params.endpoint),
    sort: first(params.sort),
    cursor: first(params.cursor),
  });
}

export function payerTokenQuery(filters: PayerTokenFilters, cursor?: string): string {
  const params = new URLSearchParams();
  for (const name of ["q", "status", "endpoint", "sort"] as const) if (filters[name]) params.set(name, filters[name]!);
  if (cursor) params.set("cursor", cursor);
  const text = params.toString();
  return text ? `?${text}` : "";
}
