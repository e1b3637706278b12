// Email + password sign-in, with the throttle and the audit trail. next-auth's Credentials
// provider calls this; it is plain domain code so it is tested without a browser.
import { AppError } from "../errors";
import type { Db } from "../db/client";
import { recordAudit, type RequestContext } from "../audit/record";
import { burnPasswordCheck, verifyPassword } from "./password";
import { signInSchema } from "./schemas";
import { checkThrottle, clearFailures, recordFailure, subjectsFor } from "./throttle";

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lockedMessage(retryAfterSeconds: number) {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many failed sign-ins. For your security this account is locked; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export async function authenticate(db: Db, input: unknown, context: RequestContext): Promise<SignedInUser> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("invalid_request_error", "invalid_credentials_input", parsed.error.issues[0].message);
  }
  const { email, password } = parsed.data;
  const subjects = subjectsFor(email, context.ip);

  const verdict = await checkThrottle(db, subjects);
  if (!verdict.allowed) {
    await recordAudit(db, { action: "auth.sign_in_locked", actorLabel: email, target: email, ...context });
    throw new AppError("rate_limit_error", "sign_in_locked", lockedMessage(verdict.retryAfterSeconds));
  }
  if (verdict.delayMs > 0) await sleep(verdict.delayMs);

  const user = await db.user.findUnique({ where: { email } });
  let ok = false;
  if (user) ok = await verifyPassword(password, user.passwordHash);
  else await burnPasswordCheck(password); // the same time for an unknown email

  if (!user || !ok) {
    const lockedNow = await recordFailure(db, subjects);
    await recordAudit(db, { action: "auth.sign_in_failed", actorUserId: user?.id, actorLabel: email, target: email, ...context });
    if (lockedNow) {
      const after = await checkThrottle(db, subjects);
      throw new AppError("rate_limit_error", "sign_in_locked", lockedMessage(after.allowed ? 60 : after.retryAfterSeconds));
    }
    throw new AppError("authentication_error", "wrong_credentials", "Wrong email or password.");
  }

  await clearFailures(db, email);
  await recordAudit(db, { action: "auth.sign_in", actorUserId: user.id, actorLabel: email, target: email, ...context });
  return { id: user.id, email: user.email, name: user.name };
}
