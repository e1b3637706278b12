// Running the dashboard's server actions and route handlers in-process as a signed-in member.
// Next's request scope does not exist under vitest, so a test file stands in for what it
// provides: the decoded next-auth session, the request's cookies and headers, and the
// cache to revalidate. Everything else is the real code against the test database:
//
//   vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
//   vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());
//   vi.mock("next/cache", async () => (await import("../helpers/next-request-mocks")).mockNextCache());
import { ACTIVE_TENANT_COOKIE } from "../../lib/auth/session";
import { DASHBOARD_MODE_COOKIE } from "../../lib/dashboard/mode";
import type { KeyMode } from "../../lib/keys/api-keys";
import { requestState } from "./next-request-mocks";

/** Signs `userId` in with `tenantId` as the chosen workspace (a cookie: the code must still
 *  check the membership) and the dashboard in `mode`. */
export function signInAs(userId: string, tenantId: string, mode: KeyMode = "test") {
  requestState.userId = userId;
  requestState.cookies = new Map([
    [ACTIVE_TENANT_COOKIE, tenantId],
    [DASHBOARD_MODE_COOKIE, mode],
  ]);
}

export function signOut() {
  requestState.userId = undefined;
  requestState.cookies = new Map();
}

/** Where Next's redirect() was sending the visitor, if that is what was thrown. */
export function redirectTarget(error: unknown): string | undefined {
  const digest = (error as { digest?: string } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_REDIRECT") ? digest.split(";")[2] : undefined;
}
