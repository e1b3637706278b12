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
  429: { description: "Rate limited; see Retry-After", ...json },
} as const;
