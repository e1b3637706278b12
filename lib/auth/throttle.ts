// Brute-force brake for sign-in. Failures are counted per email and per IP in a window;
// past a few, each attempt is slowed; past the limit, the subject is refused until the
// lock expires. Counters live in Postgres so they hold across processes and restarts.
import type { Db } from "../db/client";

export interface ThrottlePolicy {
  windowMs: number;
  /** Failures after which each further attempt waits (slowdownMs × extra failures). */
  slowAfter: number;
  slowdownMs: number;
  maxDelayMs: number;
  /** Failures that lock the subject; IPs get a larger allowance (NAT, offices). */
  lockAfterEmail: number;
  lockAfterIp: number;
  lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  slowAfter: 3,
  slowdownMs: 500,
  maxDelayMs: 3_000,
  lockAfterEmail: Number(process.env.SIGNIN_MAX_FAILURES ?? 5),
  lockAfterIp: Number(process.env.SIGNIN_MAX_FAILURES_PER_IP ?? 30),
  lockMs: Number(process.env.SIGNIN_LOCK_MINUTES ?? 15) * 60_000,
};

export type ThrottleVerdict = { allowed: true; delayMs: number } | { allowed: false; retryAfterSeconds: number };

export function subjectsFor(email: string, ip: string | null | undefined): string[] {
  return ip ? [`email:${email}`, `ip:${ip}`] : [`email:${email}`];
}

/** Whether an attempt may proceed now, and how long to make it wait first. */
export async function checkThrottle(db: Db, subjects: string[], now = new Date(), policy = DEFAULT_THROTTLE): Promise<ThrottleVerdict> {
  const rows = await db.signInThrottle.findMany({ where: { subject: { in: subjects } } });
  let delayMs = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now) {
      return { allowed: false, retryAfterSeconds: Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000) };
    }
    const inWindow = now.getTime() - row.firstFailedAt.getTime() < policy.windowMs;
    if (inWindow && row.failures >= policy.slowAfter) {
      delayMs = Math.max(delayMs, Math.min(policy.maxDelayMs, (row.failures - policy.slowAfter + 1) * policy.slowdownMs));
    }
  }
  return { allowed: true, delayMs };
}

/** Counts a failure against each subject; returns true if this failure locked one of them. */
export async function recordFailure(db: Db, subjects: string[], now = new Date(), policy = DEFAULT_THROTTLE): Promise<boolean> {
  let locked = false;
  for (const subject of subjects) {
    const limit = subject.startsWith("ip:") ? policy.lockAfterIp : policy.lockAfterEmail;
    // One statement, so concurrent failures cannot lose a count.
    const rows = await db.$queryRaw<{ failures: number; locked_until: Date | null }[]>`
      INSERT INTO sign_in_throttles (subject, failures, first_failed_at, locked_until)
      VALUES (${subject}, 1, ${now}, NULL)
      ON CONFLICT (subject) DO UPDATE SET
        failures = CASE WHEN sign_in_throttles.first_failed_at < ${new Date(now.getTime() - policy.windowMs)}
                        OR sign_in_throttles.locked_until < ${now}
                        THEN 1 ELSE sign_in_throttles.failures + 1 END,
        first_failed_at = CASE WHEN sign_in_throttles.first_failed_at < ${new Date(now.getTime() - policy.windowMs)}
                        OR sign_in_throttles.locked_until < ${now}
                        THEN ${now} ELSE sign_in_throttles.first_failed_at END,
        locked_until = NULL
      RETURNING failures, locked_until`;
    if (rows[0] && rows[0].failures >= limit) {
      await db.signInThrottle.update({ where: { subject }, data: { lockedUntil: new Date(now.getTime() + policy.lockMs) } });
      locked = true;
    }
  }
  return locked;
}

/** A successful sign-in clears the email's counter (not the IP's: one good password
 *  from an IP should not reset a spray against many accounts). */
export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { subject: `email:${email}` } });
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
