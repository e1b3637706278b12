// "Pay out now" from the API or the dashboard: validated input, the Idempotency-Key
// honoured as Stripe does (same key and same request: the same payout, made once; same key
// and another request: refused), and the request's fingerprint stored with the payout.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client";
import type { PayoutTrigger } from "../db/generated/client";
import { AppError, parseInput } from "../errors";
import type { KeyMode } from "../keys/api-keys";
import { createPayout, type CreatedPayout } from "./create";

export const payoutRequestSchema = z
  .object({
    amountSats: z
      .number()
      .int("Use a whole number of sats.")
      .positive("The amount must be at least 1 sat.")
      .max(21_000_000 * 100_000_000)
      .optional(),
  })
  .strict();

export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(255, "An Idempotency-Key is 255 characters at most.")
  .regex(/^[\x21-\x7e]+$/, "An Idempotency-Key is printable ASCII without spaces.");

export async function requestPayout(
  db: Db,
  input: {
    tenantId: string;
    mode: KeyMode;
    trigger: Extract<PayoutTrigger, "manual" | "api">;
    body: unknown;
    idempotencyKey?: string;
    createdByUserId?: string;
  },
): Promise<CreatedPayout> {
  const { amountSats } = parseInput(payoutRequestSchema, input.body ?? {}, "invalid_parameter");
  const key = input.idempotencyKey === undefined ? undefined : idempotencyKeyOf(input.idempotencyKey);
  const requestHash = createHash("sha256")
    .update(JSON.stringify({ amountSats: amountSats ?? null }))
    .digest("hex");
  return createPayout(db, {
    tenantId: input.tenantId,
    mode: input.mode,
    trigger: input.trigger,
    amountMsat: amountSats === undefined ? undefined : BigInt(amountSats) * 1000n,
    idempotencyKey: key,
    requestHash: key ? requestHash : undefined,
    createdByUserId: input.createdByUserId,
  });
}

function idempotencyKeyOf(value: string): string {
  const parsed = idempotencyKeySchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("invalid_request_error", "invalid_idempotency_key", parsed.error.issues[0].message, { param: "Idempotency-Key" });
  }
  return parsed.data;
}
