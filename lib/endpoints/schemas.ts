import { z } from "zod";
import { isPathPattern } from "../l402/path-pattern";
import { MAX_DESCRIPTION_BYTES } from "../lightning/bolt11-tags";
import { safeText, utf8Length } from "../schemas/text";

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

/** An invoice description (an endpoint's, or one invoice's). It becomes the BOLT11 `d`
 *  field, which holds 639 bytes: 500 characters of "€" are 1,500, so bytes are counted. */
export const descriptionSchema = safeText()
  .trim()
  .max(500, "Descriptions can be 500 characters at most.")
  .refine((text) => utf8Length(text) <= MAX_DESCRIPTION_BYTES, {
    error: (issue) =>
      `Descriptions can be ${MAX_DESCRIPTION_BYTES} bytes at most once UTF-8 encoded (a Lightning invoice holds no more); this one is ${utf8Length(issue.input as string)}.`,
  });

// The fields a person sets, without defaults: an update changes only what it names.
const endpointFields = {
  priceSats: priceSatsSchema,
  description: descriptionSchema,
  enabled: z.boolean({ error: "enabled must be true or false." }),
  tokenLifetimeSeconds: z
    .number()
    .int()
    .min(60, "Tokens live at least 60 seconds.")
    .max(30 * 86_400, "Tokens live 30 days at most."),
  usesPerPayment: z.number().int().min(0, "usesPerPayment is 0 (unlimited within the lifetime) or more.").max(1_000_000),
  pricingMode: z.enum(["fixed", "metered"], { error: 'pricingMode is "fixed" or "metered".' }),
  maxCostPerCallSats: z
    .number({ error: "maxCostPerCallSats must be a whole number of sats." })
    .int("maxCostPerCallSats must be a whole number of sats.")
    .min(1, "maxCostPerCallSats must be at least 1.")
    .max(10_000_000, "maxCostPerCallSats can be 10,000,000 at most.")
    .nullable(),
  balanceExpiry: z.enum(["owner", "never"], { error: 'balanceExpiry is "owner" (kept by the owner at expiry) or "never".' }),
};

/** A metered endpoint's priceSats is its deposit: a maximum per call above it could never be reserved. */
const maxWithinDeposit = (value: { priceSats?: number; maxCostPerCallSats?: number | null }) =>
  value.maxCostPerCallSats == null || value.priceSats === undefined || value.maxCostPerCallSats <= value.priceSats;
const MAX_OVER_DEPOSIT = { message: "The maximum cost per call cannot be more than the deposit.", path: ["maxCostPerCallSats"] };

export const endpointInputSchema = z
  .object({
    method: methodSchema,
    path: pathPatternSchema,
    priceSats: endpointFields.priceSats,
    description: endpointFields.description.optional(),
    enabled: endpointFields.enabled.default(true),
    tokenLifetimeSeconds: endpointFields.tokenLifetimeSeconds.default(3600),
    usesPerPayment: endpointFields.usesPerPayment.default(1),
    pricingMode: endpointFields.pricingMode.default("fixed"),
    maxCostPerCallSats: endpointFields.maxCostPerCallSats.default(null),
    balanceExpiry: endpointFields.balanceExpiry.default("owner"),
  })
  .refine(maxWithinDeposit, MAX_OVER_DEPOSIT);
export type EndpointInput = z.infer<typeof endpointInputSchema>;

const UPDATABLE = Object.keys(endpointFields).join(", ");
export const endpointUpdateSchema = z
  .object(endpointFields)
  .partial()
  .refine(maxWithinDeposit, MAX_OVER_DEPOSIT)
  .refine(
    (changes) => Object.values(changes).some((value) => value !== undefined),
    `Nothing to update: send at least one of ${UPDATABLE}.`,
  );
