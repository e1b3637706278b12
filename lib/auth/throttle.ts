// Brute-force brake for sign-in. Failures are counted per client IP (slowed past a few,
// locked past a large allowance: NAT, offices) and per (email, IP) pair: an account is
// locked only for the address its password was guessed from, so a spray from one network
// never locks its users out everywhere else. Counters live in Postgres so they hold across
// processes and restarts.
//
// An attempt takes its number with one atomic upsert BEFORE the password is checked, so
// parallel guesses cannot all read "0 failures so far": of 24 at once against a limit of
// 5, only numbers 1..5 are evaluated. A success gives its number back.
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { parseIp } from "../keys/ip-allowlist";

export interface ThrottlePolicy {
  windowMs: number;
  /** Failures after which each further attempt waits (slowdownMs × extra failures). */
  slowAfter: number;
  slowdownMs: number;
  maxDelayMs: number;
  /** Failures for one email from one IP that lock that (email, IP) pair. */
  lockAfterPair: number;
  /** Failures from one IP, over any emails, that lock the IP. */
  lockAfterIp: number;
  lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  slowAfter: 3,
  slowdownMs: 500,
  maxDelayMs: 3_000,
  lockAfterPair: Number(process.env.SIGNIN_MAX_FAILURES ?? 5),
  lockAfterIp: Number(process.env.SIGNIN_MAX_FAILURES_PER_IP ?? 30),
  lockMs: Number(process.env.SIGNIN_LOCK_MINUTES ?? 15) * 60_000,
};

interface Counter {
  subject: string;
  kind: "ip" | "pair";
  limit: number;
}

/** An attempt allowed to proceed, with the number it took on each counter. */
export interface Attempt {
  taken: { counter: Counter; number: number }[];
  lockMs: number;
}

export type ThrottleVerdict =
  | { allowed: true; delayMs: number; attempt: Attempt }
  | { allowed: false; retryAfterSeconds: number; lockedBy: "ip" | "pair" };

/** The unit a client controls: an IPv4 address, or an IPv6 /64 (one host's usual share,
 *  which it can rotate through freely). */
export function addressBlock(ip: string): string {
  const parsed = parseIp(ip);
  if (!parsed) return ip;
  if (parsed.bits === 32) return ip.replace(/^::ffff:/i, "");
  const high = parsed.value >> 64n;
  return `${[48n, 32n, 16n, 0n].map((shift) => ((high >> shift) & 0xffffn).toString(16)).join(":")}::/64`;
}

export function throttleCounters(email: string, ip: string | null | undefined, policy = DEFAULT_THROTTLE): Counter[] {
  const block = ip ? addressBlock(ip) : "unknown";
  const pair: Counter = { subject: `pair:${block}|${email}`, kind: "pair", limit: policy.lockAfterPair };
  // The IP first: an attempt the IP's lock refuses leaves the pair's count alone.
  return ip ? [{ subject: `ip:${block}`, kind: "ip", limit: policy.lockAfterIp }, pair] : [pair];
}

/** Takes the next attempt number on a counter (one statement, so parallel attempts each
 *  get their own). A lapsed lock or window starts the count again; a number past the limit
 *  locks the counter. */
async function takeNumber(db: Db, counter: Counter, now: Date, policy: ThrottlePolicy) {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const lapsed = Prisma.sql`(t.locked_until IS NOT NULL AND t.locked_until <= ${now}) OR (t.locked_until IS NULL AND t.first_failed_at < ${windowStart})`;
  const rows = await db.$queryRaw<{ failures: number; locked_until: Date | null }[]>`
    INSERT INTO sign_in_throttles AS t (subject, failures, first_failed_at, locked_until)
    VALUES (${counter.subject}, 1, ${now}, NULL)
    ON CONFLICT (subject) DO UPDATE SET
      failures = CASE WHEN ${lapsed} THEN 1 ELSE t.failures + 1 END,
      first_failed_at = CASE WHEN ${lapsed} THEN ${now} ELSE t.first_failed_at END,
      locked_until = CASE WHEN ${lapsed} THEN NULL
                          WHEN t.failures + 1 > ${counter.limit} THEN COALESCE(t.locked_until, ${new Date(now.getTime() + policy.lockMs)})
                          ELSE t.locked_until END
    RETURNING failures, locked_until`;
  return { number: rows[0].failures, lockedUntil: rows[0].locked_until };
}

/** Whether an attempt may check its password now, and how long it must wait first. */
export async function reserveAttempt(
  db: Db,
  email: string,
  ip: string | null | undefined,
  now = new Date(),
  policy = DEFAULT_THROTTLE,
): Promise<ThrottleVerdict> {
  const attempt: Attempt = { taken: [], lockMs: policy.lockMs };
  let delayMs = 0;
  for (const counter of throttleCounters(email, ip, policy)) {
    const { number, lockedUntil } = await takeNumber(db, counter, now, policy);
    if (lockedUntil && lockedUntil > now) {
      return { allowed: false, retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000), lockedBy: counter.kind };
    }
    attempt.taken.push({ counter, number });
    const earlierFailures = number - 1;
    if (earlierFailures >= policy.slowAfter) {
      delayMs = Math.max(delayMs, Math.min(policy.maxDelayMs, (earlierFailures - policy.slowAfter + 1) * policy.slowdownMs));
    }
  }
  return { allowed: true, delayMs, attempt };
}

/** The attempt failed (its numbers already count as failures). Locks every counter whose
 *  limit this attempt reached; returns how many seconds the lock lasts, or null. */
export async function recordFailedAttempt(
  db: Db,
  attempt: Attempt,
  now = new Date(),
): Promise<{ lockedBy: "ip" | "pair"; seconds: number } | null> {
  let lockedBy: "ip" | "pair" | null = null;
  for (const { counter, number } of attempt.taken) {
    if (number < counter.limit) continue;
    await db.signInThrottle.updateMany({
      where: { subject: counter.subject, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
      data: { lockedUntil: new Date(now.getTime() + attempt.lockMs) },
    });
    lockedBy ??= counter.kind;
  }
  return lockedBy ? { lockedBy, seconds: Math.ceil(attempt.lockMs / 1000) } : null;
}

/** The password was right: the pair's counter is cleared; the IP only gets this attempt's
 *  number back (one good password must not reset a spray against other accounts). */
export async function recordSuccessfulAttempt(db: Db, attempt: Attempt): Promise<void> {
  for (const { counter } of attempt.taken) {
    if (counter.kind === "pair") await db.signInThrottle.deleteMany({ where: { subject: counter.subject } });
    else
      await db.signInThrottle.updateMany({
        where: { subject: counter.subject, failures: { gt: 0 } },
        data: { failures: { decrement: 1 } },
      });
  }
}

/** Housekeeping for the worker: drop counters that can no longer matter. */
export async function purgeStaleThrottles(db: Db, now = new Date(), policy = DEFAULT_THROTTLE): Promise<number> {
  const result = await db.signInThrottle.deleteMany({
    where: {
      firstFailedAt: { lt: new Date(now.getTime() - policy.windowMs) },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
    },
  });
  return result.count;
}
