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
import { challengeRateLimit, RateLimiter, type RateLimitVerdict } from "./rate-limit";

/** What requireApiKey charges: the general budget, or nothing (the route charges a challenge itself). */
export type Budget = "general" | "none";

let general: RateLimiter | undefined;
let keyChallenges: RateLimiter | undefined;
let payerChallenges: RateLimiter | undefined;

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
export function chargeGeneral(c: Context, key: AuthenticatedKey) {
  general ??= new RateLimiter();
  const verdict = general.take(key.id);
  report(c, verdict);
  if (!verdict.allowed)
    throw new AppError("rate_limit_error", "rate_limited", `Too many requests for this API key; retry in ${verdict.retryAfterSeconds} s.`);
}

/**
 * One challenge for the payer at `payerIp`: 429 payer_rate_limited past
 * CHALLENGE_RATE_LIMIT_* for that payer (the middleware answers that payer 429, nobody
 * else), or 429 rate_limited past the key's challenge ceiling (API_RATE_LIMIT_*).
 */
export function chargeChallenge(c: Context, key: AuthenticatedKey, payerIp: string | undefined) {
  const payer = payerBucket(payerIp);
  let payerVerdict: RateLimitVerdict | undefined;
  if (payer) {
    payerChallenges ??= new RateLimiter(challengeRateLimit());
    payerVerdict = payerChallenges.take(`${key.id} ${payer}`);
    if (!payerVerdict.allowed) {
      report(c, payerVerdict);
      throw new AppError(
        "rate_limit_error",
        "payer_rate_limited",
        `Too many unpaid requests from this payer (${payer}); retry in ${payerVerdict.retryAfterSeconds} s.`,
      );
    }
  }
  keyChallenges ??= new RateLimiter();
  const keyVerdict = keyChallenges.take(key.id);
  // The headers describe whichever bucket is closer to refusing.
  report(c, !payerVerdict || !keyVerdict.allowed || keyVerdict.remaining < payerVerdict.remaining ? keyVerdict : payerVerdict);
  if (!keyVerdict.allowed)
    throw new AppError(
      "rate_limit_error",
      "rate_limited",
      `Too many unpaid requests for this API key; retry in ${keyVerdict.retryAfterSeconds} s.`,
    );
}
