// The payments page's filters live in its URL (so a filtered view is a link to share), and
// its "Download CSV" link carries the same query string to the export route: both read it
// through here, so the file holds exactly the rows the page shows. Validation is the stats
// API's own (paymentFiltersQuerySchema); what this adds is reading a browser form: empty
// fields are "no filter", and the date pickers' "to" day is included.
import { AppError } from "../errors";
import { decodeCursor } from "../stats/cursor";
import { paymentFiltersQuerySchema } from "../stats/schemas";
import type { PaymentSort, PaymentStatus } from "../stats/types";

export type SearchParams = Record<string, string | string[] | undefined>;

/** What the form and the URL hold, as text (what the inputs show). */
export interface PaymentFilterValues {
  paymentHash?: string;
  endpoint?: string;
  status?: PaymentStatus;
  from?: string;
  to?: string;
  sort?: PaymentSort;
}

export interface ParsedPaymentFilters {
  values: PaymentFilterValues;
  /** What listPayments and streamPaymentsCsv take (with the scope added). */
  filters: { paymentHash?: string; endpoint?: string; status?: PaymentStatus; from?: Date; to?: Date; sort?: PaymentSort };
  cursor?: string;
  /** The first value that could not be used (it is left out of `values` and `filters`). */
  problem?: AppError;
}

const FIELDS = ["paymentHash", "endpoint", "status", "from", "to", "sort"] as const;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function first(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
}

/** A date picker's "to" means through the end of that day; the query's `to` is exclusive. */
function exclusiveTo(to: string): string {
  return DATE_ONLY.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString() : to;
}

export function parsePaymentFilters(params: SearchParams): ParsedPaymentFilters {
  const values: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = first(params[field]);
    if (value) values[field] = value;
  }
  let problem: AppError | undefined;
  // Drop what does not parse, one field at a time, keeping the first complaint to show.
  for (;;) {
    const parsed = paymentFiltersQuerySchema.safeParse({ ...values, ...(values.to ? { to: exclusiveTo(values.to) } : {}) });
    if (parsed.success) {
      const cursor = first(params.cursor);
      let validCursor: string | undefined;
      if (cursor) {
        try {
          decodeCursor(cursor);
          validCursor = cursor;
        } catch (error) {
          problem ??= error as AppError;
        }
      }
      return { values: values as PaymentFilterValues, filters: parsed.data, cursor: validCursor, problem };
    }
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? "");
    problem ??= new AppError("invalid_request_error", "invalid_filter", `${label(field)}: ${issue.message}`, { param: field });
    if (!(field in values)) return { values: {}, filters: {}, problem };
    delete values[field];
  }
}

function label(field: string): string {
  return { paymentHash: "Payment hash", endpoint: "Endpoint", status: "Status", from: "From", to: "To", sort: "Sort" }[field] ?? field;
}

/** The query string of `values` (plus a cursor), "" when there is nothing: for links. */
export function paymentFiltersQuery(values: PaymentFilterValues, cursor?: string): string {
  const search = new URLSearchParams();
  for (const field of FIELDS) {
    const value = values[field];
    if (value && !(field === "sort" && value === "newest")) search.set(field, value);
  }
  if (cursor) search.set("cursor", cursor);
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const hasPaymentFilters = (values: PaymentFilterValues) => FIELDS.some((f) => f !== "sort" && values[f]);
