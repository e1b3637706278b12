// The OpenAPI shapes of the stats, payments and balance answers (lib/stats/types.ts in JSON).
import { z } from "@hono/zod-openapi";

export const PaymentRowSchema = z
  .object({
    paymentHash: z.string(),
    endpoint: z.string().openapi({ example: "GET /premium" }),
    amountSats: z.number().int(),
    amountMsat: z.string().openapi({ example: "100000" }),
    feeMsat: z.string().openapi({ example: "300" }),
    netMsat: z.string().openapi({ example: "99700" }),
    settledAt: z.string().openapi({ format: "date-time" }),
    mode: z.enum(["test", "live"]),
    redeemed: z.boolean().openapi({ description: "Whether the token was redeemed at least once" }),
    failedCalls: z.number().int().openapi({ description: "Paid calls whose handler failed (the use was given back)" }),
  })
  .openapi("Payment");

const totals = z.object({ count: z.number().int(), sats: z.number() });

export const OverviewStatsSchema = z
  .object({
    totalPayments: z.number().int(),
    totalSats: z.number().openapi({ description: "Sats as msat / 1000 (fees can be fractions of a sat)" }),
    platformFeeSats: z.number(),
    netSats: z.number(),
    totalMsat: z.string(),
    platformFeeMsat: z.string(),
    netMsat: z.string(),
    trend: z
      .object({ payments7d: z.number().int(), payments7dPrev: z.number().int(), sats7d: z.number(), sats7dPrev: z.number() })
      .openapi({
        description: "The last 7 UTC days (today included) against the 7 before",
      }),
    byEndpoint: z.record(z.string(), totals).openapi({ example: { "GET /premium": { count: 3, sats: 300 } } }),
    byDay: z.array(z.object({ date: z.string().openapi({ example: "2026-12-01" }), count: z.number().int(), sats: z.number() })),
    recent: z.array(PaymentRowSchema).openapi({ description: "The 20 most recent payments" }),
  })
  .openapi("Stats");

export const BalanceSchema = z
  .object({
    availableMsat: z.string().openapi({ example: "99700" }),
    pendingMsat: z.string(),
    paidOutMsat: z.string(),
    feesMsat: z.string(),
  })
  .openapi("Balance");

const FailedCallSchema = z.object({
  paymentHash: z.string(),
  redemption: z.number().int(),
  endpoint: z.string(),
  status: z.number().int().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});

export const PaymentDetailSchema = z
  .object({
    payment: PaymentRowSchema,
    invoice: z.object({
      paymentHash: z.string(),
      bolt11: z.string(),
      amountMsat: z.string(),
      feeBps: z.number().int(),
      description: z.string(),
      state: z.string(),
      backend: z.string(),
      createdAt: z.string(),
      expiresAt: z.string(),
      settledAt: z.string().nullable(),
      apiKeyId: z.string().nullable(),
    }),
    token: z
      .object({
        tokenId: z.string(),
        endpoint: z.string(),
        usesAllowed: z.number().int(),
        usesConsumed: z.number().int(),
        redemptionCount: z.number().int(),
        validUntil: z.string(),
        revokedAt: z.string().nullable(),
        lastRedeemedAt: z.string().nullable(),
      })
      .nullable(),
    ledgerEntry: z.object({
      id: z.string(),
      idempotencyKey: z.string(),
      kind: z.string(),
      createdAt: z.string(),
      postings: z.array(z.object({ accountId: z.string(), amountMsat: z.string() })),
    }),
    failedCalls: z.array(FailedCallSchema),
  })
  .openapi("PaymentDetail");
