// The settlement watcher never stops crediting: a failing lookup is logged and backed off
// while the run goes on; each invoice is looked up on the backend that made it (LND and
// LNbits here are the HTTP fakes in tests/fakes, not real nodes); an invoice expires only
// when its backend says so, so a late payment is still credited; the worker survives a
// failing first run.
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { startFakeLnd, type FakeLnd } from "../fakes/lnd-server";
import { startFakeLnbits, type FakeLnbits } from "../fakes/lnbits-server";
import { createApiApp } from "../../lib/api/app";
import { createDb } from "../../lib/db/client";
import { createEndpoint } from "../../lib/endpoints/registry";
import { settlePaidInvoices, lookupBackoffMs, type WatchOptions } from "../../lib/invoices/watch";
import { runHousekeeping } from "../../lib/jobs/housekeeping";
import { createApiKey } from "../../lib/keys/api-keys";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
let liveKey: string;
let lnd: FakeLnd;
let lnbits: FakeLnbits;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  liveKey = (await createApiKey(t.db, owner.tenant.id, { name: "live", mode: "live" })).key;
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 100 });
  // LND's expiry watcher is slow here: an expired invoice stays OPEN until we say.
  lnd = await startFakeLnd({ cancelExpired: false });
  lnbits = await startFakeLnbits();
});
afterAll(async () => {
  await lnd.close();
  await lnbits.close();
  await t.drop();
});
// Each test starts with no pending invoice of an earlier one in the queue.
beforeEach(async () => {
  await t.db.invoice.updateMany({ where: { state: "pending" }, data: { state: "expired" } });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const lndEnv = () => ({ LIGHTNING_BACKEND: "lnd", LND_REST_URL: lnd.url, LND_MACAROON_HEX: lnd.macaroonHex });
const lnbitsEnv = () => ({
  LIGHTNING_BACKEND: "lnbits",
  LNBITS_URL: lnbits.url,
  LNBITS_INVOICE_KEY: lnbits.invoiceKey,
  LNBITS_ADMIN_KEY: lnbits.adminKey,
});
function useLiveBackend(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

async function issue(key: string) {
  const response = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /premium" } });
  expect(response.status).toBe(201);
  return response.body as { paymentHash: string; invoice: string; expiresAt: string };
}

/** A test-mode invoice the payer paid (dev wallet) and never redeemed. */
async function paidTestInvoice() {
  const issued = await issue(owner.key);
  expect((await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.invoice } })).status).toBe(200);
  return issued;
}

/** A live invoice from an LND node that is down (nothing listens on port 9). */
async function invoiceOnUnreachableLnd(createdAt: Date) {
  const paymentHash = randomBytes(32).toString("hex");
  await t.db.invoice.create({
    data: {
      paymentHash,
      tenantId: owner.tenant.id,
      mode: "live",
      backend: "lnd",
      bolt11: "lnbc1unreachable",
      amountMsat: 100_000n,
      feeBps: 30,
      description: "GET /premium",
      expiresAt: new Date(Date.now() + 600_000),
      createdAt,
    },
  });
  return paymentHash;
}
const unreachableLnd = { ...process.env, LND_REST_URL: "http://127.0.0.1:9", LND_MACAROON_HEX: "0201" };

const invoiceRow = (paymentHash: string) => t.db.invoice.findUniqueOrThrow({ where: { paymentHash } });
const entries = (paymentHash: string) => t.db.journalEntry.count({ where: { paymentHash } });

function watch(options: WatchOptions = {}) {
  const lines: string[] = [];
  return { lines, run: (more: WatchOptions = {}) => settlePaidInvoices(t.db, { log: (line) => lines.push(line), ...options, ...more }) };
}

describe("one failing lookup never stops the run", () => {
  it("logs the failure, backs that invoice off, and credits the invoices behind it", async () => {
    const failing = await invoiceOnUnreachableLnd(new Date(Date.now() - 3_600_000)); // the oldest: first in line
    const paid = await paidTestInvoice();
    const now = new Date();
    const watcher = watch({ env: unreachableLnd, now });

    const result = await watcher.run();
    expect(result).toMatchObject({ checked: 2, settled: 1, failed: 1 });
    expect((await invoiceRow(paid.paymentHash)).state).toBe("paid");
    expect(await entries(paid.paymentHash)).toBe(1);

    expect(watcher.lines).toHaveLength(1);
    expect(watcher.lines[0]).toContain(failing);
    expect(watcher.lines[0]).toContain("live, lnd");
    const row = await invoiceRow(failing);
    expect(row).toMatchObject({ state: "pending", lookupFailures: 1 });
    expect(row.nextLookupAt?.getTime()).toBe(now.getTime() + lookupBackoffMs(1));
    expect(row.lastLookupError).toBeTruthy();
  });

  it("a permanently failing invoice cannot keep its place at the head of the queue", async () => {
    const created = Date.now() - 3_600_000;
    const failing = await Promise.all([0, 1, 2].map((i) => invoiceOnUnreachableLnd(new Date(created + i))));
    const paid = await paidTestInvoice();
    const start = Date.now();
    const watcher = watch({ env: unreachableLnd, limit: 3 });

    // The oldest three fill the first run, and fail.
    expect(await watcher.run({ now: new Date(start) })).toMatchObject({ checked: 3, failed: 3, settled: 0 });
    expect((await invoiceRow(paid.paymentHash)).state).toBe("pending");
    // The next run reaches the paid invoice behind them.
    expect(await watcher.run({ now: new Date(start + 1_000) })).toMatchObject({ checked: 1, settled: 1, failed: 0 });
    expect((await invoiceRow(paid.paymentHash)).state).toBe("paid");
    // After their back-off they are tried again, and wait longer after each failure.
    expect(await watcher.run({ now: new Date(start + lookupBackoffMs(1)) })).toMatchObject({ checked: 3, failed: 3 });
    for (const hash of failing) expect((await invoiceRow(hash)).lookupFailures).toBe(2);
    expect(lookupBackoffMs(2)).toBe(2 * lookupBackoffMs(1));
    expect(lookupBackoffMs(50)).toBe(3_600_000);
  });

  it("invoices that are still pending go to the back of the queue (a round robin)", async () => {
    const first = await issue(owner.key);
    const second = await issue(owner.key);
    const watcher = watch({ limit: 1 });
    await watcher.run({ now: new Date(Date.now() + 1_000) });
    await watcher.run({ now: new Date(Date.now() + 2_000) });
    const [a, b] = await Promise.all([invoiceRow(first.paymentHash), invoiceRow(second.paymentHash)]);
    expect(a.nextLookupAt).not.toBeNull();
    expect(b.nextLookupAt).not.toBeNull(); // the second run took the one not looked up yet
  });
});

describe("each invoice is looked up on the backend that made it", () => {
  it("after LIGHTNING_BACKEND moves from lnd to lnbits, LND's invoices are still read on LND", async () => {
    useLiveBackend(lndEnv());
    const onLnd = await issue(liveKey);
    expect((await invoiceRow(onLnd.paymentHash)).backend).toBe("lnd");
    lnd.settle(onLnd.paymentHash);

    // The operator switches nodes and keeps LND's settings for the invoices it still has.
    useLiveBackend(lnbitsEnv());
    const onLnbits = await issue(liveKey);
    expect((await invoiceRow(onLnbits.paymentHash)).backend).toBe("lnbits");
    lnbits.settle(onLnbits.paymentHash);

    // The worker after a restart with the new settings: a process of its own (its own client).
    const worker = createDb(t.url, 2);
    try {
      const lines: string[] = [];
      expect(await settlePaidInvoices(worker, { log: (line) => lines.push(line) })).toMatchObject({ settled: 2, failed: 0 });
      expect(lines).toEqual([]);
    } finally {
      await worker.$disconnect();
    }
    for (const hash of [onLnd.paymentHash, onLnbits.paymentHash]) {
      expect((await invoiceRow(hash)).state).toBe("paid");
      expect(await entries(hash)).toBe(1);
    }
    expect(lnd.requests.some((r) => r.method === "GET" && r.path === `/v1/invoice/${onLnd.paymentHash}`)).toBe(true);
    expect(lnbits.requests.some((r) => r.path.includes(onLnd.paymentHash))).toBe(false);
  });

  it("a backend that is no longer configured is a clear error naming the variable, and the others go on", async () => {
    useLiveBackend(lndEnv());
    const onLnd = await issue(liveKey);
    const paid = await paidTestInvoice();
    const watcher = watch({ env: lnbitsEnv() }); // LND's settings are gone
    expect(await watcher.run()).toMatchObject({ settled: 1, failed: 1 });
    expect(watcher.lines.join("\n")).toContain("LND_REST_URL");
    expect((await invoiceRow(onLnd.paymentHash)).lastLookupError).toContain("LND_REST_URL");
    expect((await invoiceRow(paid.paymentHash)).state).toBe("paid");
  });
});

describe("an invoice is expired only when its backend says so", () => {
  it("a late payment on the simulated node (after expires_at by our clock) is still credited", async () => {
    const issued = await issue(owner.key);
    const expiresAt = new Date(issued.expiresAt).getTime();
    const watcher = watch();
    // Our clock says it expired; the node says it is still open.
    await watcher.run({ now: new Date(expiresAt + 60_000) });
    expect((await invoiceRow(issued.paymentHash)).state).toBe("pending");

    expect((await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.invoice } })).status).toBe(200);
    expect(await watcher.run({ now: new Date(expiresAt + 120_000) })).toMatchObject({ settled: 1 });
    expect((await invoiceRow(issued.paymentHash)).state).toBe("paid");
    expect(await entries(issued.paymentHash)).toBe(1);
  });

  it("a late payment on LND (OPEN past its expiry, not cancelled yet) is still credited", async () => {
    useLiveBackend(lndEnv());
    const issued = await issue(liveKey);
    lnd.invoices.get(issued.paymentHash)!.creationDate -= 3_600; // past its expiry for LND too
    const watcher = watch();
    const late = new Date(new Date(issued.expiresAt).getTime() + 3_600_000);
    expect(await watcher.run({ now: late })).toMatchObject({ expired: 0, failed: 0 });
    expect((await invoiceRow(issued.paymentHash)).state).toBe("pending");

    lnd.settle(issued.paymentHash); // the HTLC that was on its way
    expect(await watcher.run({ now: new Date(late.getTime() + 1_000) })).toMatchObject({ settled: 1 });
    expect((await invoiceRow(issued.paymentHash)).state).toBe("paid");
  });

  it("expires what the node expired, and what the node has dropped after its expiry", async () => {
    // The simulated node: its own expiry passed.
    const simulated = await issue(owner.key);
    await t.db.simulatedInvoice.update({
      where: { paymentHash: simulated.paymentHash },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    // LNbits deletes expired invoices: after expires_at, "no such payment" means gone...
    useLiveBackend(lnbitsEnv());
    const dropped = await issue(liveKey);
    lnbits.payments.delete(dropped.paymentHash);
    const watcher = watch();
    await watcher.run({ now: new Date(new Date(dropped.expiresAt).getTime() + 1_000) });
    expect((await invoiceRow(simulated.paymentHash)).state).toBe("expired");
    expect((await invoiceRow(dropped.paymentHash)).state).toBe("expired");

    // ...but before expires_at it is a failure to look into, not an expiry.
    const missing = await issue(liveKey);
    lnbits.payments.delete(missing.paymentHash);
    const early = watch();
    expect(await early.run({ now: new Date() })).toMatchObject({ failed: 1, expired: 0 });
    expect((await invoiceRow(missing.paymentHash)).state).toBe("pending");
    expect(early.lines[0]).toContain(missing.paymentHash);
  });
});

describe("the worker", () => {
  it("runs every task even when one fails, and reports the failure", async () => {
    const ran: string[] = [];
    const errors: string[] = [];
    const ok = await runHousekeeping(
      t.db,
      [
        {
          name: "broken",
          run: async () => {
            throw new Error("boom");
          },
        },
        {
          name: "fine",
          run: async () => {
            ran.push("fine");
            return null;
          },
        },
      ],
      { log: () => {}, error: (line: string) => errors.push(line) },
    );
    expect(ok).toBe(false);
    expect(ran).toEqual(["fine"]);
    expect(errors).toEqual(["[worker] broken failed: boom"]);
  });

  const unreachableDatabase = "postgresql://postgres@127.0.0.1:1/nowhere";

  it("survives a failing first run (no crash, no unhandled rejection) and keeps trying", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      env: { ...process.env, DATABASE_URL: unreachableDatabase, WORKER_INTERVAL_SECONDS: "0.2" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const failedRuns = () => stderr.split("\n").filter((line) => line.includes("[worker] settlement watcher failed")).length;
      const deadline = Date.now() + 25_000;
      while (failedRuns() < 3 && child.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(child.exitCode).toBeNull(); // still running
      expect(failedRuns()).toBeGreaterThanOrEqual(3);
      expect(stderr).not.toMatch(/Unhandled|UnhandledPromiseRejection/);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("--once reports a failed run with exit status 1", async () => {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "scripts/worker.ts", "--once"],
        { env: { ...process.env, DATABASE_URL: unreachableDatabase }, timeout: 60_000 },
        (error, _stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stderr });
        },
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("[worker] settlement watcher failed");
  });
});
