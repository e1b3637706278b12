import { z } from "zod";
import { isPathPattern } from "../l402/path-pattern";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export const methodSchema = z
  .string()
  .transform((m) => m.toUpperCase())
  .pipe(z.enum(HTTP_METHODS, { error: `Method must be one of ${HTTP_METHODS.join(", ")}.` }));
export const pathPatternSchema = z
  .string()
  .max(300, "Paths can be 300 characters at most.")
  .refine(isPathPattern, "Path must start with / and may use :param segments and a trailing *, like /users/:id or /files/*.");
export const priceSatsSchema = z
  .number({ error: "priceSats must be a whole number of sats." })
  .int("priceSats must be a whole number of sats.")
  .min(1, "priceSats must be at least 1.")
  .max(10_000_000, "priceSats can be 10,000,000 at most (0.1 BTC).");

/** "GET /premium" → {method, path}. */
export const endpointLabelSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]+ \/\S*$/, 'endpoint must look like "GET /premium" (method, space, path).')
  .transform((label) => {
    const [method, ...rest] = label.split(" ");
    return { method: method.toUpperCase(), path: rest.join(" ").split("?")[0] };
  })
  .pipe(z.object({ method: methodSchema, path: pathPatternSchema }));

export const endpointInputSchema = z.object({
  method: methodSchema,
  path: pathPatternSchema,
  priceSats: priceSatsSchema,
  description: z.string().trim().max(500).optional(),
  enabled: z.boolean().default(true),
  tokenLifetimeSeconds: z
    .number()
    .int()
    .min(60, "Tokens live at least 60 seconds.")
    .max(30 * 86_400, "Tokens live 30 days at most.")
    .default(3600),
  usesPerPayment: z.number().int().min(0, "usesPerPayment is 0 (unlimited within the lifetime) or more.").max(1_000_000).default(1),
});
export type EndpointInput = z.infer<typeof endpointInputSchema>;
export const endpointUpdateSchema = endpointInputSchema.partial().omit({ method: true, path: true });
