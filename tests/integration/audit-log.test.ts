// Issue 9, item 5: the audit log for owners and operators. Sign-ins are recorded under the
// workspace they opened; failures and lock-outs are recorded (for the security log); "who" is
// a name or email, never a raw id; filters by actor, action and dates; cursor pages; the CSV
// export has exactly the page's filters and neutralises formulas; an owner's page and export
// never show another tenant's events.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { authenticate } from "../../lib/auth/sign-in";
import type { ThrottlePolicy } from "../../lib/auth/throttle";
import { recordAudit } from "../../lib/audit/record";
import { listAuditPage } from "../../lib/audit/query";
import { SECURITY_ACTIONS } from "../../lib/audit/labels";
import { shortUserAgent } from "../../lib/audit/user-agent";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { signInAs, signOut } from "../helpers/dashboard-session";
import { ownerWithTenant, PASSWORD } from "../helpers/factories";

vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());

const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
let t: TestDatabase;
let a: Awaited<ReturnType<typeof ownerWithTenant>>;
let b: Awaited<ReturnType<typeof ownerWithTenant>>;
let GET: (request: Request) => Promise<Response>;

const exportCsv = async (query = "") => {
  const response = await GET(new Request(`http://tollbooth.test/dashboard/audit/export${query}`));
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
};

beforeAll(async () => {
  t = await createTestDatabase();
  ({ GET } = await import("../../app/dashboard/audit/export/route"));
  a = await ownerWithTenant(t.db, "Tenant A");
  b = await ownerWithTenant(t.db, "Tenant B");
  await t.db.user.update({ where: { id: a.user.id }, data: { name: "Alice Owner" } });
});
afterAll(async () => {
  signOut();
  await t?.drop();
});

describe("sign-ins in the audit log", () => {
  it("a sign-in is recorded under the workspace it opened: the tenant cookie's when a member, else the first", async () => {
    // a is also a member of b's tenant.
    await t.db.membership.create({ data: { tenantId: b.tenant.id, userId: a.user.id, role: "viewer" } });
    const context = { ip: "198.51.100.7", userAgent: CHROME };
    await authenticate(t.db, { email: a.email, password: PASSWORD }, { ...context, activeTenantId: b.tenant.id });
    await authenticate(t.db, { email: a.email, password: PASSWORD }, { ...context, activeTenantId: "someone-elses" });
    await authenticate(t.db, { email: a.email, password: PASSWORD }, context);
    const signIns = await t.db.auditEvent.findMany({
      where: { action: "auth.sign_in", actorUserId: a.user.id },
      orderBy: { createdAt: "asc" },
    });
    expect(signIns.map((e) => e.tenantId)).toEqual([b.tenant.id, a.tenant.id, a.tenant.id]);
  });

  it("failures and the lock-out they cause are recorded, and the security log shows them", async () => {
    const policy: ThrottlePolicy = {
      windowMs: 60_000,
      slowAfter: 100,
      slowdownMs: 0,
      maxDelayMs: 0,
      lockAfterPair: 2,
      lockAfterIp: 100,
      lockMs: 60_000,
    };
    const context = { ip: "203.0.113.9", userAgent: "curl/8.5.0" };
    const attempt = () => authenticate(t.db, { email: b.email, password: "wrong password!" }, context, policy).catch((e) => e.code);
    expect([await attempt(), await attempt(), await attempt()]).toEqual(["wrong_credentials", "sign_in_locked", "sign_in_locked"]);
    const log = await listAuditPage(t.db, { allTenants: true, actions: SECURITY_ACTIONS }, { actor: b.email, limit: 50 });
    expect(log.data.map((e) => e.action)).toEqual(["auth.sign_in_locked", "auth.lockout", "auth.sign_in_failed", "auth.sign_in_failed"]);
    expect(log.data[1]).toMatchObject({ actionLabel: "Locked out after failed sign-ins", who: b.email, ip: "203.0.113.9" });
  });
});

describe("the owner's audit page and export", () => {
  beforeAll(async () => {
    const base = { tenantId: a.tenant.id, ip: "192.0.2.1" };
    await recordAudit(t.db, {
      ...base,
      action: "endpoint.created",
      actorUserId: a.user.id,
      target: '=HYPERLINK("http://evil")',
      userAgent: CHROME,
    });
    await recordAudit(t.db, { ...base, action: "api_key.revoked", actorLabel: "tb_live_ab12…wxyz", target: "tb_live_ab12…wxyz" });
    await recordAudit(t.db, { ...base, action: "test_call.made" });
    await recordAudit(t.db, {
      ...base,
      action: "operator.tenant_suspended",
      actorUserId: b.user.id,
      actorLabel: b.email,
      metadata: { operator: true },
    });
    await t.db.auditEvent.create({
      data: { tenantId: a.tenant.id, action: "endpoint.deleted", createdAt: new Date("2026-01-15T10:00:00Z"), actorUserId: a.user.id },
    });
    await recordAudit(t.db, { tenantId: b.tenant.id, action: "endpoint.created", actorUserId: b.user.id, target: "GET /b-secret" });
  });

  it("who is a name, an email, an API key, the platform operator or system: never a raw id", async () => {
    const page = await listAuditPage(t.db, { tenantId: a.tenant.id }, { limit: 100 });
    const who = Object.fromEntries(page.data.map((e) => [e.action, e.who]));
    expect(who).toMatchObject({
      "endpoint.created": "Alice Owner",
      "api_key.revoked": "API key tb_live_ab12…wxyz",
      "test_call.made": "system",
      // The owner is not told which operator; the operator's own log is.
      "operator.tenant_suspended": "Platform operator",
    });
    const asOperator = await listAuditPage(t.db, { allTenants: true }, { action: "operator.tenant_suspended", limit: 10 });
    expect(asOperator.data[0]).toMatchObject({ who: `operator: ${b.email}`, tenant: { id: a.tenant.id, name: "Tenant A" } });
    for (const row of page.data) for (const id of [a.user.id, b.user.id]) expect(row.who).not.toContain(id);
    expect(page.data.find((e) => e.action === "endpoint.created")?.actionLabel).toBe("Endpoint added");
    expect(shortUserAgent(CHROME)).toBe("Chrome 131 on macOS");
  });

  it("filters by actor, action and date range; pages by cursor without gaps or repeats", async () => {
    const ids = async (filters: Record<string, unknown>) =>
      (await listAuditPage(t.db, { tenantId: a.tenant.id }, { limit: 100, ...filters })).data.map((e) => e.action);
    expect(await ids({ actor: "alice" })).toEqual(expect.arrayContaining(["endpoint.created", "endpoint.deleted", "auth.sign_in"]));
    expect(await ids({ actor: "alice" })).not.toContain("test_call.made");
    expect(await ids({ action: "api_key.revoked" })).toEqual(["api_key.revoked"]);
    expect(await ids({ action: "endpoint." })).toEqual(["endpoint.created", "endpoint.deleted"]);
    expect(await ids({ from: "2026-01-15", to: "2026-01-15" })).toEqual(["endpoint.deleted"]);
    expect(await ids({ to: "2026-01-14" })).toEqual([]);

    const all = await ids({});
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditPage(t.db, { tenantId: a.tenant.id }, { limit: 2, cursor });
      seen.push(...page.data.map((e) => e.action));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("the page never shows another tenant's events, whatever the query string", async () => {
    const Page = (await import("../../app/dashboard/audit/(list)/page")).default;
    signInAs(a.user.id, a.tenant.id);
    const element = await Page({ searchParams: Promise.resolve({ tenant: b.tenant.slug, actor: b.email }) });
    const rows = (element.props.children[1].props as { rows: { tenant: { id: string } | null }[] }).rows;
    expect(rows.every((row) => row.tenant?.id === a.tenant.id)).toBe(true);
    const text = JSON.stringify(await listAuditPage(t.db, { tenantId: a.tenant.id }, { limit: 100 }));
    expect(text).not.toContain("GET /b-secret");
  });

  it("CSV export: the active workspace only, the page's filters, formulas neutralised; a bad filter is a 400", async () => {
    signInAs(a.user.id, a.tenant.id);
    const all = await exportCsv();
    expect(all.status).toBe(200);
    expect(all.type).toContain("text/csv");
    const lines = all.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("time,who,action,action_label,target,ip,user_agent");
    expect(all.text).not.toContain("GET /b-secret");
    expect(all.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines.length - 1).toBe((await listAuditPage(t.db, { tenantId: a.tenant.id }, { limit: 100 })).data.length);

    const filtered = await exportCsv("?action=endpoint.&from=2026-01-01&to=2026-01-31&cursor=ignored");
    expect(filtered.text.trimEnd().split("\r\n").slice(1)).toEqual([
      expect.stringMatching(/^2026-01-15T10:00:00.000Z,Alice Owner,endpoint.deleted,/),
    ]);

    expect((await exportCsv("?from=yesterday")).status).toBe(400);
    expect((await exportCsv("?from=2026-02-01&to=2026-01-01")).status).toBe(400);

    // b's owner exports b's log: none of a's events.
    signInAs(b.user.id, b.tenant.id);
    const theirs = await exportCsv();
    expect(theirs.text).toContain("GET /b-secret");
    expect(theirs.text).not.toContain("HYPERLINK");
  });
});
