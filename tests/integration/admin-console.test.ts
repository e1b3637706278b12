// Issue 9, item 4: the operator console and API. Only operators (PLATFORM_ADMIN_EMAILS) see
// /admin, everyone else gets a 404; /api/admin/* wants the operator token (401 without it),
// and ADMIN_ALLOWED_IPS refuses other addresses on both. Suspending a tenant makes its keys
// fail with 403 tenant_suspended (invoices and verify) while other tenants carry on; the
// middleware answers 503 for it; every operator action is audited; a failed job is retried.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { resetApiAuthState } from "../../lib/api/auth";
import { operatorTokenMatches, resetOperatorToken } from "../../lib/admin/token";
import { adminIpAllowed, isOperatorEmail } from "../../lib/admin/access";
import { createEndpoint } from "../../lib/endpoints/registry";
import { enqueue, installJobQueue } from "../../lib/jobs/queue";
import { startWorker } from "../../lib/jobs/worker";
import { withL402 } from "../../packages/l402/src/index";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { redirectTarget, signInAs, signOut } from "../helpers/dashboard-session";
import { ownerWithTenant } from "../helpers/factories";
import { issue, paidCall } from "../helpers/payments";

vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());
vi.mock("next/cache", async () => (await import("../helpers/next-request-mocks")).mockNextCache());

const TOKEN = "op_".padEnd(48, "x7");
const FAIL_QUEUE = "admin-test-failing";
let t: TestDatabase;
let app: Api;
let operator: Awaited<ReturnType<typeof ownerWithTenant>>;
let a: Awaited<ReturnType<typeof tenantWithKey>>;
let b: Awaited<ReturnType<typeof tenantWithKey>>;

const PAGES = [
  ["layout", () => import("../../app/admin/layout"), { children: null }],
  ["overview", () => import("../../app/admin/(overview)/page"), {}],
  ["tenants", () => import("../../app/admin/tenants/(list)/page"), { searchParams: Promise.resolve({}) }],
  ["tenant", () => import("../../app/admin/tenants/[id]/page"), { params: Promise.resolve({ id: "x" }) }],
  ["jobs", () => import("../../app/admin/jobs/page"), {}],
  ["security", () => import("../../app/admin/security/page"), { searchParams: Promise.resolve({}) }],
  ["audit", () => import("../../app/admin/audit/(list)/page"), { searchParams: Promise.resolve({}) }],
] as const;

async function render(load: () => Promise<{ default: (props: never) => unknown }>, props: unknown) {
  try {
    await (await load()).default(props as never);
    return "rendered";
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? "";
    if (digest.includes(";404")) return "404";
    if (redirectTarget(error)) return `redirect ${redirectTarget(error)}`;
    throw error;
  }
}

type Element = { type: unknown; props: { children?: unknown } & Record<string, unknown> };
/** The first element of `type` in a rendered (not yet run) React tree. */
function findElement(node: unknown, type: unknown): Element | undefined {
  if (Array.isArray(node)) return node.map((child) => findElement(child, type)).find(Boolean);
  if (!node || typeof node !== "object" || !("props" in node)) return undefined;
  const element = node as Element;
  return element.type === type ? element : findElement(element.props.children, type);
}

const admin = (method: string, path: string, options: { token?: string; body?: unknown; ip?: string } = {}) =>
  call(app, method, path, {
    body: options.body,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      "x-tollbooth-client-ip": options.ip ?? "192.0.2.10",
    },
  });

beforeAll(async () => {
  t = await createTestDatabase();
  await installJobQueue(t.url, [{ name: FAIL_QUEUE, options: { retryLimit: 0 } }]);
  process.env.ADMIN_API_TOKEN = TOKEN;
  resetOperatorToken();
  app = createApiApp();
  operator = await ownerWithTenant(t.db, "Operator's own");
  process.env.PLATFORM_ADMIN_EMAILS = ` someone@else.test , ${operator.email.toUpperCase()} `;
  a = await tenantWithKey(t.db);
  b = await tenantWithKey(t.db);
  for (const tenant of [a, b]) await createEndpoint(t.db, tenant.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
});
afterEach(() => {
  delete process.env.ADMIN_ALLOWED_IPS;
  signOut();
});
afterAll(async () => {
  delete process.env.PLATFORM_ADMIN_EMAILS;
  resetOperatorToken();
  await t?.drop();
});

describe("who may use the console", () => {
  it("operator emails are matched in any case; the IP allow-list takes IPs and CIDRs and fails closed", () => {
    expect(isOperatorEmail(operator.email)).toBe(true);
    expect(isOperatorEmail(a.email)).toBe(false);
    expect(isOperatorEmail("")).toBe(false);
    expect(adminIpAllowed("10.1.2.3", undefined)).toBe(true);
    expect(adminIpAllowed("10.1.2.3", "10.0.0.0/8, 2001:db8::1")).toBe(true);
    expect(adminIpAllowed("2001:db8::1", "10.0.0.0/8, 2001:db8::1")).toBe(true);
    expect(adminIpAllowed("192.0.2.10", "10.0.0.0/8")).toBe(false);
    expect(adminIpAllowed(null, "10.0.0.0/8")).toBe(false);
    // A list of only typos lets nobody in, rather than everybody.
    expect(adminIpAllowed("192.0.2.10", "not-an-ip")).toBe(false);
  });

  it.each(PAGES)("%s: 404 when signed out and for a non-operator, rendered for the operator", async (_name, load, props) => {
    expect(await render(load, props)).toBe("404");
    signInAs(a.user.id, a.tenant.id);
    expect(await render(load, props)).toBe("404");
    signInAs(operator.user.id, operator.tenant.id);
    // The tenant page of an unknown id is its own 404; everything else renders.
    expect(await render(load, props)).toBe(_name === "tenant" ? "404" : "rendered");
  });

  it("the operator from an address the allow-list does not name gets a 404 too (the mocked client is 192.0.2.10)", async () => {
    signInAs(operator.user.id, operator.tenant.id);
    process.env.ADMIN_ALLOWED_IPS = "203.0.113.0/24";
    for (const [, load, props] of PAGES) expect(await render(load, props)).toBe("404");
    process.env.ADMIN_ALLOWED_IPS = "192.0.2.0/24";
    expect(await render(PAGES[1][1], PAGES[1][2])).toBe("rendered");
  });

  it("the operator's audit CSV is a 404 for others", async () => {
    const { GET } = await import("../../app/admin/audit/export/route");
    signInAs(a.user.id, a.tenant.id);
    expect((await GET(new Request("http://tollbooth.test/admin/audit/export"))).status).toBe(404);
    signInAs(operator.user.id, operator.tenant.id);
    const response = await GET(new Request("http://tollbooth.test/admin/audit/export"));
    expect(response.status).toBe(200);
    expect((await response.text()).split("\r\n")[0]).toBe("time,who,action,action_label,target,ip,user_agent,tenant");
  });
});

describe("the operator API", () => {
  const ROUTES = [
    ["GET", "/api/admin/overview"],
    ["GET", "/api/admin/tenants"],
    ["GET", "/api/admin/tenants/x"],
    ["POST", "/api/admin/tenants/x/suspend"],
    ["POST", "/api/admin/tenants/x/unsuspend"],
    ["GET", "/api/admin/jobs"],
    ["POST", `/api/admin/jobs/${FAIL_QUEUE}/00000000-0000-4000-8000-000000000000/retry`],
    ["GET", "/api/admin/security-log"],
  ] as const;

  it.each(ROUTES)(
    "%s %s: 401 without or with a wrong token, or with a tenant's API key; 403 from a refused address",
    async (method, path) => {
      expect((await admin(method, path)).body.error.code).toBe("missing_operator_token");
      const wrong = await admin(method, path, { token: `${TOKEN.slice(0, -1)}y` });
      expect([wrong.status, wrong.body.error.code]).toEqual([401, "invalid_operator_token"]);
      expect((await admin(method, path, { token: a.key })).status).toBe(401);
      process.env.ADMIN_ALLOWED_IPS = "203.0.113.0/24";
      const refused = await admin(method, path, { token: TOKEN });
      expect([refused.status, refused.body.error.code]).toEqual([403, "ip_not_allowed"]);
    },
  );

  it("the token check: only the exact token passes, whatever the length presented; the variable is not kept", () => {
    expect(operatorTokenMatches(TOKEN)).toBe(true);
    expect(process.env.ADMIN_API_TOKEN).toBeUndefined();
    for (const wrong of ["", "x", TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), `${TOKEN} `]) {
      expect(operatorTokenMatches(wrong)).toBe(false);
    }
    // Too short to be a secret: the operator API stays closed.
    process.env.ADMIN_API_TOKEN = "short";
    resetOperatorToken();
    expect(operatorTokenMatches("short")).toBe(false);
    process.env.ADMIN_API_TOKEN = TOKEN;
    resetOperatorToken();
    expect(operatorTokenMatches(TOKEN)).toBe(true);
  });

  it("npm run tollbooth -- admin:token makes a token the operator API takes", async () => {
    const { execFile } = await import("node:child_process");
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["--import", "tsx", "scripts/tollbooth.ts", "admin:token", "--json"],
        { env: { ...process.env, DATABASE_URL: t.url } },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    const { token } = JSON.parse(out) as { token: string };
    expect(token).toMatch(/^tbop_[A-Za-z0-9_-]{43}$/);
    process.env.ADMIN_API_TOKEN = token;
    resetOperatorToken();
    expect((await admin("GET", "/api/admin/overview", { token })).status).toBe(200);
    expect((await admin("GET", "/api/admin/overview", { token: TOKEN })).status).toBe(401);
    process.env.ADMIN_API_TOKEN = TOKEN;
    resetOperatorToken();
  }, 60_000);

  it("overview, tenants (with search) and a tenant's detail", async () => {
    await paidCall(app, a.key, "GET /premium");
    const overview = await admin("GET", "/api/admin/overview", { token: TOKEN });
    expect(overview.status).toBe(200);
    expect(overview.body.platform).toMatchObject({ name: "Tollbooth", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(overview.body.modes.test).toMatchObject({ payments: 1, volumeMsat: "10000", feeMsat: "30", owedToTenantsMsat: "9970" });
    expect(overview.body.modes.live).toMatchObject({ payments: 0, volumeMsat: "0" });

    const all = await admin("GET", "/api/admin/tenants?mode=test&limit=2", { token: TOKEN });
    expect(all.body).toMatchObject({ object: "list", has_more: true });
    expect(all.body.data).toHaveLength(2);
    const next = await admin("GET", `/api/admin/tenants?mode=test&limit=2&cursor=${all.body.next_cursor}`, { token: TOKEN });
    expect([...all.body.data, ...next.body.data].map((row: { id: string }) => row.id)).toEqual(
      expect.arrayContaining([a.tenant.id, b.tenant.id, operator.tenant.id]),
    );

    const byEmail = await admin("GET", `/api/admin/tenants?mode=test&q=${encodeURIComponent(a.email.toUpperCase())}`, { token: TOKEN });
    expect(byEmail.body.data).toEqual([
      expect.objectContaining({ id: a.tenant.id, ownerEmails: [a.email], payments: 1, volumeMsat: "10000", availableMsat: "9970" }),
    ]);
    const wildcard = await admin("GET", "/api/admin/tenants?q=%25", { token: TOKEN });
    expect(wildcard.body.data).toEqual([]); // "%" is a character to look for, not a wildcard

    const detail = await admin("GET", `/api/admin/tenants/${a.tenant.id}?mode=test`, { token: TOKEN });
    expect(detail.body).toMatchObject({ id: a.tenant.id, members: [{ email: a.email, role: "owner" }], activeKeys: { test: 1 } });
    expect((await admin("GET", "/api/admin/tenants/nope", { token: TOKEN })).status).toBe(404);
    expect((await admin("GET", "/api/admin/tenants?limit=500", { token: TOKEN })).status).toBe(400);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await call(app, "GET", "/api/v1/openapi.json")).body;
    for (const path of [
      "/api/admin/overview",
      "/api/admin/tenants",
      "/api/admin/tenants/{id}/suspend",
      "/api/admin/jobs/{queue}/{id}/retry",
      "/api/admin/security-log",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.components.securitySchemes.operatorToken).toMatchObject({ type: "http", scheme: "bearer" });
  });
});

describe("suspending a tenant", () => {
  it("its keys fail with 403 tenant_suspended on invoices and verify; others are unaffected; unsuspending restores them", async () => {
    const paid = await paidCall(app, a.key, "GET /premium", { redeem: false });
    const refused = await admin("POST", `/api/admin/tenants/${a.tenant.id}/suspend`, { token: TOKEN, body: { reason: "" } });
    expect([refused.status, refused.body.error.param]).toEqual([400, "reason"]);

    const suspended = await admin("POST", `/api/admin/tenants/${a.tenant.id}/suspend`, {
      token: TOKEN,
      body: { reason: "Chargeback abuse" },
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ id: a.tenant.id, suspendedReason: "Chargeback abuse" });
    expect((await admin("POST", `/api/admin/tenants/${a.tenant.id}/suspend`, { token: TOKEN, body: { reason: "again" } })).status).toBe(
      409,
    );
    resetApiAuthState(); // this process had the key cached (API_KEY_CACHE_MS, 5 s)

    const invoice = await call(app, "POST", "/api/v1/invoices", { key: a.key, body: { endpoint: "GET /premium" } });
    expect(invoice.status).toBe(403);
    expect(invoice.body.error).toEqual({
      type: "permission_error",
      code: "tenant_suspended",
      message: "This tenant is suspended; contact the platform operator.",
    });
    const verify = await call(app, "POST", "/api/v1/l402/verify", {
      key: a.key,
      body: { authorization: paid.authorization, method: "GET", path: "/premium" },
    });
    expect([verify.status, verify.body.error.code]).toEqual([403, "tenant_suspended"]);
    expect(JSON.stringify(verify.body)).not.toContain("Chargeback");
    expect((await call(app, "GET", "/api/v1/balance", { key: a.key })).status).toBe(403);

    // Another tenant carries on.
    await issue(app, b.key, "GET /premium");

    // The middleware in front of the suspended tenant's API answers 503, fails closed (even
    // with onUnavailable "allow") and does not crash.
    let served = false;
    const handler = withL402(
      () => {
        served = true;
        return Response.json({ ok: true });
      },
      {
        apiKey: a.key,
        baseUrl: "http://tollbooth.test",
        endpoint: "GET /premium",
        onUnavailable: "allow",
        logger: false,
        fetch: (input, init) => Promise.resolve(app.request(String(input), init)),
      },
    );
    const gated = await handler(new Request("http://api.example/premium"));
    expect(gated.status).toBe(503);
    expect(gated.headers.get("retry-after")).toBe("300");
    const withCredential = await handler(new Request("http://api.example/premium", { headers: { authorization: paid.authorization } }));
    expect(withCredential.status).toBe(503);
    expect(served).toBe(false);

    const lifted = await admin("POST", `/api/admin/tenants/${a.tenant.id}/unsuspend`, { token: TOKEN });
    expect(lifted.body).toMatchObject({ suspendedAt: null, suspendedReason: null });
    resetApiAuthState();
    await issue(app, a.key, "GET /premium");
    const redeemed = await call(app, "POST", "/api/v1/l402/verify", {
      key: a.key,
      body: { authorization: paid.authorization, method: "GET", path: "/premium" },
    });
    expect(redeemed.body).toMatchObject({ valid: true });

    // Both operator actions audited, under the tenant, with the token as the actor.
    const events = await t.db.auditEvent.findMany({
      where: { tenantId: a.tenant.id, action: { startsWith: "operator." } },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorLabel, e.ip])).toEqual([
      ["operator.tenant_suspended", "operator (API token)", "192.0.2.10"],
      ["operator.tenant_unsuspended", "operator (API token)", "192.0.2.10"],
    ]);
    expect(events[0].metadata).toMatchObject({ operator: true, via: "api", reason: "Chargeback abuse" });
  });

  it("from the console: the operator's actions are audited with the operator as the actor, and the owner sees a banner", async () => {
    const { suspendTenantAction, unsuspendTenantAction } = await import("../../app/admin/actions");
    const form = (values: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(values)) data.set(k, v);
      return data;
    };
    // A non-operator's post is a 404, and changes nothing.
    signInAs(b.user.id, b.tenant.id);
    await expect(suspendTenantAction({ ok: false }, form({ tenantId: b.tenant.id, reason: "self" }))).rejects.toMatchObject({
      digest: expect.stringContaining("404"),
    });
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: b.tenant.id } })).suspendedAt).toBeNull();

    signInAs(operator.user.id, operator.tenant.id);
    expect(await suspendTenantAction({ ok: false }, form({ tenantId: b.tenant.id, reason: "Phishing pages" }))).toMatchObject({ ok: true });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { tenantId: b.tenant.id, action: "operator.tenant_suspended" } });
    expect([event.actorUserId, event.actorLabel, event.userAgent]).toEqual([operator.user.id, operator.email, "vitest"]);

    signInAs(b.user.id, b.tenant.id);
    const Layout = (await import("../../app/dashboard/layout")).default;
    const { SuspendedBanner } = await import("../../components/suspended-banner");
    expect(findElement(await Layout({ children: null }), SuspendedBanner)?.props).toEqual({ reason: "Phishing pages" });
    signInAs(a.user.id, a.tenant.id);
    expect(findElement(await Layout({ children: null }), SuspendedBanner)).toBeUndefined();

    signInAs(operator.user.id, operator.tenant.id);
    expect(await unsuspendTenantAction({ ok: false }, form({ tenantId: b.tenant.id }))).toMatchObject({ ok: true });
  });
});

describe("job queues", () => {
  it("a failed job shows with its error, and Retry requeues it (API and console), audited", async () => {
    const worker = await startWorker({
      db: t.db,
      url: t.url,
      tasks: [],
      log: { log() {}, error() {} },
      handlers: [
        {
          queue: FAIL_QUEUE,
          pollingIntervalSeconds: 0.5,
          async handle() {
            throw new Error("the receiver is down");
          },
        },
      ],
    });
    let jobId = "";
    try {
      await worker.ready;
      jobId = await enqueue(t.db, FAIL_QUEUE, { n: 1 });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const [job] = await t.db.$queryRawUnsafe<{ state: string }[]>(`SELECT state::text FROM pgboss.job WHERE id = $1::uuid`, jobId);
        if (job?.state === "failed") break;
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await worker.stop();
    }
    const jobs = await admin("GET", `/api/admin/jobs?queue=${FAIL_QUEUE}`, { token: TOKEN });
    expect(jobs.body.queues.find((q: { name: string }) => q.name === FAIL_QUEUE).counts).toMatchObject({ failed: 1 });
    expect(jobs.body.failed).toEqual([expect.objectContaining({ id: jobId, queue: FAIL_QUEUE, data: { n: 1 } })]);
    expect(jobs.body.failed[0].error).toContain("the receiver is down");

    const retried = await admin("POST", `/api/admin/jobs/${FAIL_QUEUE}/${jobId}/retry`, { token: TOKEN });
    expect(retried.body).toEqual({ queue: FAIL_QUEUE, id: jobId, state: "retry" });
    const [state] = await t.db.$queryRawUnsafe<{ state: string; retry_limit: number }[]>(
      `SELECT state::text, retry_limit FROM pgboss.job WHERE id = $1::uuid`,
      jobId,
    );
    expect(state).toEqual({ state: "retry", retry_limit: 1 });
    // Not failed any more: a second retry is a 404, not a second requeue.
    expect((await admin("POST", `/api/admin/jobs/${FAIL_QUEUE}/${jobId}/retry`, { token: TOKEN })).status).toBe(404);
    expect((await admin("POST", `/api/admin/jobs/${FAIL_QUEUE}/not-a-uuid/retry`, { token: TOKEN })).status).toBe(400);

    // The console's button: fail it again by hand, retry as the signed-in operator.
    await t.db.$executeRawUnsafe(`UPDATE pgboss.job SET state = 'failed' WHERE id = $1::uuid`, jobId);
    const { retryJobAction } = await import("../../app/admin/actions");
    signInAs(operator.user.id, operator.tenant.id);
    const data = new FormData();
    data.set("queue", FAIL_QUEUE);
    data.set("id", jobId);
    expect(await retryJobAction({ ok: false }, data)).toMatchObject({ ok: true });
    const audits = await t.db.auditEvent.findMany({ where: { action: "operator.job_retried" }, orderBy: { createdAt: "asc" } });
    expect(audits.map((e) => [e.target, e.actorLabel])).toEqual([
      [`${FAIL_QUEUE}/${jobId}`, "operator (API token)"],
      [`${FAIL_QUEUE}/${jobId}`, operator.email],
    ]);
  }, 40_000);
});
