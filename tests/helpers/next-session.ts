// Running the dashboard's server actions and route handlers in-process as a signed-in member.
// Next's request scope does not exist under vitest, so a test file stands in for what it
// provides: the decoded next-auth session, the request's cookies and headers, and the
// cache to revalidate. Everything else is the real code against the test database:
//
//   vi.mock("next-auth", async (original) => (await import("../helpers/next-session")).nextAuthMock(await original()));
//   vi.mock("next/headers", async () => (await import("../helpers/next-session")).nextHeadersMock());
//   vi.mock("next/cache", async () => (await import("../helpers/next-session")).nextCacheMock());
import { ACTIVE_TENANT_COOKIE } from "../../lib/auth/session";
import { DASHBOARD_MODE_COOKIE } from "../../lib/dashboard/mode";
import type { KeyMode } from "../../lib/keys/api-keys";

const state: { userId?: string; cookies: Map<string, string> } = { cookies: new Map() };

/** Signs `userId` in with `tenantId` as the chosen workspace (a cookie: the code must still
 *  check the membership) and the dashboard in `mode`. */
export function signInAs(userId: string, tenantId: string, mode: KeyMode = "test") {
  state.userId = userId;
  state.cookies = new Map([
    [ACTIVE_TENANT_COOKIE, tenantId],
    [DASHBOARD_MODE_COOKIE, mode],
  ]);
}

export function signOut() {
  state.userId = undefined;
  state.cookies = new Map();
}

export function nextAuthMock<T extends object>(original: T) {
  return { ...original, getServerSession: async () => (state.userId ? { user: { id: state.userId }, expires: "" } : null) };
}

export function nextHeadersMock() {
  const cookieStore = {
    get: (name: string) => (state.cookies.has(name) ? { name, value: state.cookies.get(name)! } : undefined),
    getAll: () => [...state.cookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => state.cookies.has(name),
    set: (name: string, value: string) => state.cookies.set(name, value),
  };
  return {
    cookies: async () => cookieStore,
    headers: async () => new Headers({ host: "tollbooth.test", "user-agent": "vitest", "x-forwarded-for": "192.0.2.10" }),
  };
}

export function nextCacheMock() {
  return { revalidatePath: () => {}, revalidateTag: () => {} };
}

/** Where Next's redirect() was sending the visitor, if that is what was thrown. */
export function redirectTarget(error: unknown): string | undefined {
  const digest = (error as { digest?: string } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_REDIRECT") ? digest.split(";")[2] : undefined;
}
