// Calling the dashboard's server actions and route handlers in-process as a signed-in
// member. A test file mocks what Next's request scope would provide:
//
//   vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
//   vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());
//   vi.mock("next/cache", async () => (await import("../helpers/next-request-mocks")).mockNextCache());  // actions
//
// Everything after that is the real code: requireTenant checks the membership in the
// database, getDashboardMode reads the mode cookie, and the handler queries Postgres.
import { ACTIVE_TENANT_COOKIE } from "../../lib/auth/session";
import { DASHBOARD_MODE_COOKIE } from "../../lib/dashboard/mode";
import type { KeyMode } from "../../lib/keys/api-keys";
import { requestState } from "./next-request-mocks";

/** Signs `userId` in, with `tenantId` as the active workspace and the dashboard in `mode`. */
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
