// The console's gate for pages and server actions: a signed-in operator (PLATFORM_ADMIN_EMAILS)
// from an allowed address (ADMIN_ALLOWED_IPS). Anyone else, signed in or not, gets Next's
// 404: the console does not admit it exists.
import { notFound } from "next/navigation";
import { currentRequestContext, getSessionUser } from "../auth/session";
import { adminIpAllowed, isOperatorEmail } from "./access";
import type { OperatorActor } from "./actor";

/** The signed-in operator, or null (route handlers answer their own 404). */
export async function currentOperator() {
  const context = await currentRequestContext();
  if (!adminIpAllowed(context.ip)) return null;
  const user = await getSessionUser();
  if (!user || !isOperatorEmail(user.email)) return null;
  const actor: OperatorActor = { kind: "user", userId: user.id, email: user.email };
  return { user, actor, context };
}

export async function requireOperator() {
  const operator = await currentOperator();
  if (!operator) notFound();
  return operator;
}
