// Input of the stats API and the dashboard's filters, validated once (zod): the REST routes
// and the pages parse query strings with these.
import { z } from "@hono/zod-openapi";
import { MAX_PAGE_SIZE } from "./queries/payments";

const PAYMENT_HASH = /^[0-9a-fA-F]{64}$/;

/** A date (2026-12-01, midnight UTC) or an ISO 8601 instant with its offset. */
const instant = (description: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })])
    .transform((text) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text))
    .optional()
    .openapi({ description, example: "2026-11-01" });

const rangeFields = {
  from: instant("Start, inclusive: a UTC date or an ISO 8601 instant."),
  to: instant("End, exclusive: a UTC date or an ISO 8601 instant."),
};
const fromBeforeTo: [(range: { from?: Date; to?: Date }) => boolean, { message: string; path: string[] }] = [
  (range) => !range.from || !range.to || range.from < range.to,
  { message: "from must be before to.", path: ["from"] },
];

export const rangeQuerySchema = z.object(rangeFields).refine(...fromBeforeTo);

export const paymentStatusSchema = z.enum(["redeemed", "unredeemed", "failed"]);
export const paymentSortSchema = z.enum(["newest", "oldest"]);

const filterFields = {
  ...rangeFields,
  paymentHash: z
    .string()
    .regex(/^[0-9a-fA-F]{4,64}$/, "Use a payment hash, or at least its first 4 hex characters.")
    .optional()
    .openapi({ description: "A payment hash or its first characters (at least 4)." }),
  endpoint: z.string().trim().min(1).max(400).optional().openapi({ example: "GET /premium" }),
  status: paymentStatusSchema.optional().openapi({
    description: "redeemed: the token was used; unredeemed: paid, never used; failed: a paid call's handler failed.",
  }),
  sort: paymentSortSchema.optional().openapi({ description: "newest (default) or oldest first." }),
};

/** The payments page's and the export's filters. */
export const paymentFiltersQuerySchema = z.object(filterFields).refine(...fromBeforeTo);

export const paymentListQuerySchema = z
  .object({
    ...filterFields,
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(20)
      .openapi({ description: `At most ${MAX_PAGE_SIZE}.` }),
    cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page." }),
  })
  .refine(...fromBeforeTo);

export const paymentExportQuerySchema = z
  .object({ ...filterFields, format: z.enum(["csv", "ndjson"]).default("csv") })
  .refine(...fromBeforeTo);

export const paymentHashParamSchema = z.object({
  paymentHash: z
    .string()
    .regex(PAYMENT_HASH, "A payment hash is 64 hex characters.")
    .openapi({ param: { name: "paymentHash", in: "path" } }),
});
