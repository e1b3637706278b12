// Which rate limit a call to /api/v1 spends. Unpaid traffic must not starve paying
// callers, so there are three budgets, not one:
// - general: a key's ordinary calls (reads, endpoints, release, discovery), per key;
// - challenges: every new invoice (POST /v1/invoices, and the fresh challenge a refused
//   verify mints) per payer IP within the key (the body's `payerIp`), and all of a key's
//   challenges together under a ceiling of their own, never the general budget;
// - a paid verification spends nothing: each one stands for a payment, and a flood of
//   challenges must never turn a payer who paid away.
import type { Context } from "hono";
import { AppError } from "../errors";
import type { AuthenticatedKey } from "../keys/api-keys";
import { payerBucket } from "./payer-ip";
import { SharedRateLimiter } from "../redis/rate-limit";
import { challengeRateLimit, defaultRateLimit, type RateLimitVerdict } from "./rate-limit";

/** What requireApiKey charges: the general budget, or nothing (the route charges a challenge itself). */
export type Budget = "general" | "none";

let general: SharedRateLimiter | undefined;
let keyChallenges: SharedRateLimiter | undefined;
let payerChallenges: SharedRateLimiter | undefined;

/** Forget every bucket and re-read the limits from the environment (tests). */
export function resetBudgets() {
  general = keyChallenges = payerChallenges = undefined;
}

function report(c: Context, verdict: RateLimitVerdict) {
  c.header("RateLimit-Limit", String(verdict.limit));
  c.header("RateLimit-Remaining", String(verdict.remaining));
  c.header("RateLimit-Reset", String(verdict.resetSeconds));
  if (!verdict.allowed) c.header("Retry-After", String(verdict.retryAfterSeconds));
}

/** One of the key's general calls; 429 rate_limited past API_RATE_LIMIT_*. */
export async function chargeGeneral(c: Context, key: AuthenticatedKey) {
  general ??= new SharedRateLimiter(defaultRateLimit(), "general");
  const verdict = await general.take(key.id);
  report(c, verdict);
  if (!verdict.allowed)
    throw new AppError("rate_limit_error", "rate_limited", `Too many requests for this API key; retry in ${verdict.retryAfterSeconds} s.`);
}

/**
 * One challenge for the payer at `payerIp`: 429 payer_rate_limited past
 * CHALLENGE_RATE_LIMIT_* for that payer (the middleware answers that payer 429, nobody
 * else), or 429 rate_limited past the key's challenge ceiling (API_RATE_LIMIT_*).
 */
export async function chargeChallenge(c: Context, key: AuthenticatedKey, payerIp: string | undefined) {
  const payer = payerBucket(payerIp);
  let payerVerdict: RateLimitVerdict | undefined;
  if (payer) {
    payerChallenges ??= new SharedRateLimiter(challengeRateLimit(), "payer-challenges");
    payerVerdict = await payerChallenges.take(`${key.id} ${payer}`);
    if (!payerVerdict.allowed) {
      report(c, payerVerdict);
      throw new AppError(
        "rate_limit_error",
        "payer_rate_limited",
        `Too many unpaid requests from this payer (${payer}); retry in ${payerVerdict.retryAfterSeconds} s.`,
      );
    }
  }
  keyChallenges ??= new SharedRateLimiter(defaultRateLimit(), "key-challenges");
  const keyVerdict = await keyChallenges.take(key.id);
  // The headers describe whichever bucket is closer to refusing.
  report(c, !payerVerdict || !keyVerdict.allowed || keyVerdict.remaining < payerVerdict.remaining ? keyVerdict : payerVerdict);
  if (!keyVerdict.allowed)
    throw new AppError(
      "rate_limit_error",
      "rate_limited",
      `Too many unpaid requests for this API key; retry in ${keyVerdict.retryAfterSeconds} s.`,
    );
}
