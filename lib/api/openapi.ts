// Shared OpenAPI pieces: the error shape every route can answer with.
import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({
    error: z.object({
      type: z.string().openapi({ example: "invalid_request_error" }),
      code: z.string().openapi({ example: "invalid_parameter" }),
      message: z.string(),
      param: z.string().optional(),
    }),
  })
  .openapi("Error");

const json = { content: { "application/json": { schema: ErrorSchema } } };

export const errorResponses = {
  400: { description: "Invalid request", ...json },
  401: { description: "Missing, invalid, expired or revoked API key", ...json },
  403: { description: "Missing scope or client IP not allowed", ...json },
  429: {
    description: "Rate limited (`rate_limited`: this key; `payer_rate_limited`: this payer's challenges); see Retry-After and RateLimit-*",
    ...json,
  },
} as const;

/** On the calls that mint a challenge: who the payer is, for that payer's own budget. */
// Never refused: a value the middleware got wrong must not turn every payer's call into an
// error, so anything that is not an IP address is simply not counted per payer.
export const payerIpField = z.string().optional().openapi({
  example: "203.0.113.7",
  description:
    "The paying client's IP address as your server sees it. Challenges (new invoices) are rate-limited per payer IP (IPv6: per /64) within your key, so one flooding client gets 429 `payer_rate_limited` and nobody else does. Without it, challenges share your key's challenge budget. A value that is not an IP address is ignored.",
});
