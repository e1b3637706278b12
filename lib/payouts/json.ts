// A payout as the API, webhooks and pages show it: whole sats as numbers, msat as strings.
import type { Payout } from "../db/generated/client";

export function payoutJson(payout: Payout) {
  return {
    id: payout.id,
    object: "payout" as const,
    mode: payout.mode,
    state: payout.state,
    trigger: payout.trigger,
    amountSats: Number(payout.amountMsat / 1000n),
    amountMsat: payout.amountMsat.toString(),
    feeMsat: payout.feeMsat?.toString() ?? null,
    maxFeeMsat: payout.maxFeeMsat.toString(),
    destination: payout.destination,
    paymentHash: payout.paymentHash,
    failureCode: payout.failureCode,
    failureReason: payout.failureReason,
    attempts: payout.attempts,
    nextAttemptAt: payout.state === "pending" || payout.state === "sending" ? payout.nextAttemptAt.toISOString() : null,
    createdAt: payout.createdAt.toISOString(),
    completedAt: payout.completedAt?.toISOString() ?? null,
  };
}

export type PayoutJson = ReturnType<typeof payoutJson>;
