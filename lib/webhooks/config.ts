// Delivery policy, configurable by environment so tests can run a three-day schedule in
// seconds. Defaults follow Stripe: retries with growing gaps for up to three days.
const DEFAULT_DELAYS_SECONDS = [60, 300, 1800, 7200, 18_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000];

export interface WebhookPolicy {
  /** Gap before automatic retry n (1-based: delays[0] after the first failure); the last repeats. */
  retryDelaysSeconds: number[];
  /** No automatic retry is scheduled past this long after the delivery was created. */
  retryWindowSeconds: number;
  /** An endpoint failing without a success for this long is disabled. */
  disableAfterSeconds: number;
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE=1: deliver to private, loopback and link-local addresses. */
  allowPrivate: boolean;
  /** A fan-out or a delivery this long overdue is taken to have died with its worker (pg-boss
   *  would hold its job for 15 minutes) and is queued again (lib/webhooks/fan-out.ts). */
  recoverAfterSeconds: number;
}

function numberList(value: string | undefined): number[] | null {
  if (!value) return null;
  const list = value.split(",").map((part) => Number(part.trim()));
  return list.length > 0 && list.every((n) => Number.isFinite(n) && n >= 0) ? list : null;
}

/** A positive number from the environment, or the default (a typo must not turn into NaN
 *  in SQL, or 0 into "re-queue everything"). */
function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

export function webhookPolicy(env: NodeJS.ProcessEnv = process.env): WebhookPolicy {
  return {
    retryDelaysSeconds: numberList(env.WEBHOOK_RETRY_DELAYS_SECONDS) ?? DEFAULT_DELAYS_SECONDS,
    retryWindowSeconds: Number(env.WEBHOOK_RETRY_WINDOW_HOURS ?? 72) * 3600,
    disableAfterSeconds: positive(env.WEBHOOK_DISABLE_AFTER_DAYS, 3) * 86_400,
    timeoutMs: positive(env.WEBHOOK_TIMEOUT_MS, 10_000),
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === "1",
    recoverAfterSeconds: positive(env.WEBHOOK_RECOVER_AFTER_SECONDS, 60),
  };
}

/** Seconds to wait before the retry after `failedAttempts` automatic failures, or null when
 *  the delivery has had its three days. */
export function nextRetryDelay(policy: WebhookPolicy, failedAttempts: number, deliveryCreatedAt: Date, now = new Date()): number | null {
  const delays = policy.retryDelaysSeconds;
  const delay = delays[Math.min(failedAttempts, delays.length) - 1] ?? delays[delays.length - 1] ?? 60;
  const deadline = deliveryCreatedAt.getTime() + policy.retryWindowSeconds * 1000;
  return now.getTime() + delay * 1000 > deadline ? null : delay;
}
