// The Ctrl/⌘+K search route: a member finds their own tenant's payments (by hash prefix),
// endpoints and keys in the dashboard's mode, and nothing of another tenant or mode.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { tenantWithKey } from "../helpers/api";
import { redirectTarget, signInAs, signOut } from "../helpers/dashboard-session";

vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());

let t: TestDatabase;
let GET: (request: Request) => Promise<Response>;
beforeAll(async () => {
  t = await createTestDatabase();
  ({ GET } = await import("../../app/dashboard/search/route"));
});
afterAll(async () => {
  await t?.drop();
});

async function search(q: string) {
  const response = await GET(new Request(`http://localhost/dashboard/search?q=${encodeURIComponent(q)}`));
  return { status: response.status, body: await response.json() };
}

describe("dashboard search", () => {
  it("smoke", async () => {
    const a = await tenantWithKey(t.db);
    signInAs(a.user.id, a.tenant.id);
    const res = await search("test");
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    signOut();
    const error = await search("x").catch((e) => e);
    expect(redirectTarget(error)).toMatch(/sign-in/);
  });
});
