// Postgres goes away for a few seconds while payers create invoices, pay them and redeem
// them. While it is away every answer is 503 with Retry-After (never a 500); when it is
// back the app recovers by itself (same process, same pool); and the books show every paid
// invoice settled exactly once with balanced entries: nothing lost, nothing counted twice,
// nothing half-written. The outage is a TCP proxy between the app and a real Postgres that
// drops every connection and refuses new ones, as a stopped server does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { resetApiAuthState } from "../../lib/api/auth";
import { createDb, setDb, type Db } from "../../lib/db/client";
import { createEndpoint } from "../../lib/endpoints/registry";
import { settlePaidInvoices } from "../../lib/invoices/watch";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

process.env.API_RATE_LIMIT_BURST = "1000000";
process.env.CHALLENGE_RATE_LIMIT_BURST = "1000000";
// Short timeouts, so the partition test takes seconds (production defaults: 5 s and 30 s).
process.env.DATABASE_CONNECT_TIMEOUT_MS = "1000";
process.env.DATABASE_QUERY_TIMEOUT_MS = "1500";

let t: TestDatabase;
let proxy: TcpProxy;
let proxied: Db;
let app: Api;
let key: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const url = new URL(t.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  const owner = await tenantWithKey(t.db);
  key = owner.key;
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
  url.port = String(proxy.port);
  proxied = createDb(url.toString(), 8);
  setDb(proxied);
  resetApiAuthState();
  app = createApiApp();
});
afterAll(async () => {
  await proxied?.$disconnect().catch(() => {});
  await proxy?.close();
  setDb(t.db);
  await t?.drop();
});

type Step = "create" | "pay" | "verify";
interface Tally {
  ok: Record<Step, number>;
  unavailable: Record<Step, number>;
  other: string[];
  paid: Set<string>;
}

/** One payer: create, pay, redeem, over and over, until `until()` is false. */
async function payer(tally: Tally, until: () => boolean) {
  const classify = (step: Step, response: { status: number; headers: Headers; body: unknown }, okStatus: number) => {
    if (response.status === okStatus) {
      tally.ok[step]++;
      return true;
    }
    if (response.status === 503 && response.headers.get("retry-after")) tally.unavailable[step]++;
    else tally.other.push(`${step}: ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`);
    return false;
  };
  while (until()) {
    const issued = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /premium" } });
    if (!classify("create", issued, 201)) continue;
    const paid = await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.body.invoice } });
    if (!classify("pay", paid, 200)) continue;
    tally.paid.add(issued.body.paymentHash);
    const authorization = `L402 ${issued.body.macaroon}:${paid.body.preimage}`;
    const verified = await call(app, "POST", "/api/v1/l402/verify", { key, body: { authorization, method: "GET", path: "/premium" } });
    classify("verify", verified, 200);
  }
}

const newTally = (): Tally => ({
  ok: { create: 0, pay: 0, verify: 0 },
  unavailable: { create: 0, pay: 0, verify: 0 },
  other: [],
  paid: new Set(),
});

describe.skipIf(!usingRealPostgres)("Postgres stopped and restarted under load (real Postgres)", () => {
  it("answers 503 + Retry-After while it is down, recovers by itself, and loses or doubles no payment", async () => {
    const before = newTally();
    const during = newTally();
    const after = newTally();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    // Paid before the outage, redeemed during it (503) and after it (served).
    const held = [];
    for (let i = 0; i < 5; i++) {
      const issued = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /premium" } });
      const paid = await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.body.invoice } });
      before.paid.add(issued.body.paymentHash);
      held.push(`L402 ${issued.body.macaroon}:${paid.body.preimage}`);
    }
    const verify = (authorization: string) =>
      call(app, "POST", "/api/v1/l402/verify", { key, body: { authorization, method: "GET", path: "/premium" } });

    let phase: "before" | "during" | "after" | "done" = "before";
    const tallyNow = () => (phase === "before" ? before : phase === "during" ? during : after);
    const payers = Array.from({ length: 8 }, async () => {
      while (phase !== "done") {
        const tally = tallyNow();
        await payer(tally, () => tallyNow() === tally && phase !== "done");
      }
    });
    await sleep(1500);
    phase = "during";
    await proxy.cut();
    await sleep(500);
    for (const authorization of held) {
      const answer = await verify(authorization);
      expect([answer.status, answer.headers.get("retry-after")]).toEqual([503, "5"]);
    }
    await sleep(2500);
    await proxy.restore();
    phase = "after";
    await sleep(3000);
    phase = "done";
    await Promise.all(payers);

    console.log(JSON.stringify({ before: before.ok, during: { ok: during.ok, unavailable: during.unavailable }, after: after.ok }));
    // Calls that straddle a phase change land in the next tally; only 500s matter here.
    for (const tally of [before, during, after]) expect(tally.other).toEqual([]);
    expect(before.ok.verify).toBeGreaterThan(10);
    expect(during.unavailable.create).toBeGreaterThan(10); // the outage was felt
    expect(after.ok.verify).toBeGreaterThan(10); // and recovered without a restart
    for (const authorization of held) expect((await verify(authorization)).body).toMatchObject({ valid: true });

    // Every invoice the wallet paid is settled exactly once, by verify or by the watcher.
    await settlePaidInvoices(t.db);
    const paid = [...before.paid, ...during.paid, ...after.paid];
    const settled = await t.db.$queryRawUnsafe<{ payment_hash: string; entries: number }[]>(
      `SELECT i.payment_hash, count(e.*)::int AS entries
         FROM invoices i LEFT JOIN journal_entries e ON e.idempotency_key = 'settle:' || i.payment_hash
        WHERE i.payment_hash = ANY($1::text[]) GROUP BY i.payment_hash`,
      paid,
    );
    expect(settled).toHaveLength(paid.length);
    expect(settled.filter((row) => row.entries !== 1)).toEqual([]);
    // Balanced books: every entry's postings sum to zero (Postgres enforces it; this checks
    // no entry was left without its postings).
    const unbalanced = await t.db.$queryRawUnsafe<unknown[]>(
      `SELECT e.id FROM journal_entries e LEFT JOIN postings p ON p.entry_id = e.id
        GROUP BY e.id HAVING count(p.*) = 0 OR sum(p.amount_msat) <> 0`,
    );
    expect(unbalanced).toEqual([]);
  }, 60_000);

  it("a network partition (nothing answers) fails requests within the timeouts, then recovers", async () => {
    const create = () => call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /premium" } });
    expect((await create()).status).toBe(201);
    proxy.blackhole();
    try {
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 6 }, create));
      const elapsedMs = Date.now() - started;
      expect(answers.map((a) => [a.status, a.headers.get("retry-after")])).toEqual(Array(6).fill([503, "5"]));
      expect(elapsedMs).toBeLessThan(6000); // connect 1 s / query 1.5 s, not forever
    } finally {
      await proxy.restore();
    }
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 201 && Date.now() < deadline) status = (await create()).status;
    expect(status).toBe(201);
  }, 30_000);
});
