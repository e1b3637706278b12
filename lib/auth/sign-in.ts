// Email + password sign-in, with the throttle and the audit trail. next-auth's Credentials
// provider calls this; it is plain domain code so it is tested without a browser.
import { AppError } from "../errors";
import type { Db } from "../db/client";
import { recordAudit, type RequestContext } from "../audit/record";
import { burnPasswordCheck, verifyPassword } from "./password";
import { signInSchema } from "./schemas";
import { DEFAULT_THROTTLE, recordFailedAttempt, recordSuccessfulAttempt, reserveAttempt, type ThrottlePolicy } from "./throttle";

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lockedError(lockedBy: "ip" | "pair", retryAfterSeconds: number) {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const wait = `try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const message =
    lockedBy === "ip"
      ? `Too many failed sign-ins from your network. For your security sign-in from here is paused; ${wait}.`
      : `Too many failed sign-ins. For your security this account is locked; ${wait}.`;
  return new AppError("rate_limit_error", "sign_in_locked", message);
}

/** The workspace a sign-in opens, as the dashboard will pick it (lib/auth/session.ts,
 *  activeMembership): the tenant cookie's when the user is a member of it, else their first. */
async function openedTenantId(db: Db, userId: string, preferredTenantId: string | null | undefined): Promise<string | null> {
  if (preferredTenantId) {
    const preferred = await db.membership.findUnique({ where: { tenantId_userId: { tenantId: preferredTenantId, userId } } });
    if (preferred) return preferred.tenantId;
  }
  const first = await db.membership.findFirst({ where: { userId }, orderBy: { createdAt: "asc" }, select: { tenantId: true } });
  return first?.tenantId ?? null;
}

export async function authenticate(
  db: Db,
  input: unknown,
  context: RequestContext & { activeTenantId?: string | null },
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
): Promise<SignedInUser> {
  const { activeTenantId, ...where } = context;
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("invalid_request_error", "invalid_credentials_input", parsed.error.issues[0].message);
  }
  const { email, password } = parsed.data;

  const verdict = await reserveAttempt(db, email, context.ip, new Date(), policy);
  if (!verdict.allowed) {
    await recordAudit(db, { action: "auth.sign_in_locked", actorLabel: email, target: email, ...where });
    throw lockedError(verdict.lockedBy, verdict.retryAfterSeconds);
  }
  if (verdict.delayMs > 0) await sleep(verdict.delayMs);

  const user = await db.user.findUnique({ where: { email } });
  let ok = false;
  if (user) ok = await verifyPassword(password, user.passwordHash);
  else await burnPasswordCheck(password); // the same time for an unknown email

  if (!user || !ok) {
    const lock = await recordFailedAttempt(db, verdict.attempt);
    await recordAudit(db, { action: "auth.sign_in_failed", actorUserId: user?.id, actorLabel: email, target: email, ...where });
    if (lock) {
      // The failure that set the lock: its own event, so the security log shows when and why.
      await recordAudit(db, {
        action: "auth.lockout",
        actorUserId: user?.id,
        actorLabel: email,
        target: email,
        metadata: { lockedBy: lock.lockedBy, seconds: lock.seconds },
        ...where,
      });
      throw lockedError(lock.lockedBy, lock.seconds);
    }
    throw new AppError("authentication_error", "wrong_credentials", "Wrong email or password.");
  }

  await recordSuccessfulAttempt(db, verdict.attempt);
  // Under the workspace it opened, so each tenant's audit log shows who signed in to it.
  const tenantId = await openedTenantId(db, user.id, activeTenantId);
  await recordAudit(db, { action: "auth.sign_in", tenantId, actorUserId: user.id, actorLabel: email, target: email, ...where });
  return { id: user.id, email: user.email, name: user.name };
}
