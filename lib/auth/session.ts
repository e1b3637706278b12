// Server-side session helpers for pages and server actions: who is signed in, and which
// of their tenants is active (a cookie, re-checked against memberships on every request).
import { getServerSession } from "next-auth";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "../db/client";
import { listMemberships } from "../tenants/accounts";
import { requireMembership, type Permission } from "../tenants/permissions";
import { authOptions, SESSION_MAX_AGE_SECONDS } from "./options";
import { requestContext } from "./request-context";
import { ACTIVE_TENANT_COOKIE } from "./tenant-cookie";

export { ACTIVE_TENANT_COOKIE };

export async function getSessionUser() {
  const session = await getServerSession(authOptions);
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return null;
  // A deleted user's still-valid JWT must not keep working.
  return getDb().user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
}

export async function requireUser(callbackUrl = "/dashboard") {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  return user;
}

/** The signed-in user, their memberships, and the active one (checked for `permission`). */
export async function requireTenant(permission: Permission = "tenant:read") {
  const user = await requireUser();
  const { memberships, active } = await activeMembership(user.id);
  if (!active) redirect("/onboarding");
  const membership = await requireMembership(getDb(), user.id, active.tenantId, permission);
  return { user, membership, tenant: membership.tenant, memberships };
}

/** The user's memberships and the active one: the cookie's tenant if it is one of theirs,
 *  else the first (undefined without any). */
export async function activeMembership(userId: string) {
  const memberships = await listMemberships(getDb(), userId);
  const wanted = (await cookies()).get(ACTIVE_TENANT_COOKIE)?.value;
  return { memberships, active: memberships.find((m) => m.tenantId === wanted) ?? memberships[0] };
}

/** Makes `tenantId` the active tenant (the caller has checked membership). */
export async function setActiveTenant(tenantId: string) {
  (await cookies()).set(ACTIVE_TENANT_COOKIE, tenantId, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: SESSION_MAX_AGE_SECONDS,
    secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
  });
}

export async function currentRequestContext() {
  return requestContext(await headers());
}

/** The app's public origin as the browser reached it (PUBLIC_URL wins): for links and snippets. */
export async function requestOrigin() {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? (process.env.NODE_ENV === "production" ? "https" : "http");
  return process.env.PUBLIC_URL ?? `${proto}://${host}`;
}
