// Issue 9, item 6: reconciliation compares the ledger's Lightning holdings with the
// backend's balance and with settled invoices minus payouts, keeps every run, and finds a
// planted difference (once, for the operator alert).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { createLnbitsBackend } from "../../lib/lightning/lnbits";
import { createLndBackend } from "../../lib/lightning/lnd";
import { accounts } from "../../lib/ledger/accounts";
import { ensureAccounts, postEntry } from "../../lib/ledger/post";
import { createPayout } from "../../lib/payouts/create";
import { runPayout } from "../../lib/payouts/run";
import { alertMismatches } from "../../lib/reconciliation/alert";
import { listReconciliationRuns, takeUnalertedMismatches } from "../../lib/reconciliation/queries";
import { runReconciliation } from "../../lib/reconciliation/run";
import { startFakeLnbits } from "../fakes/lnbits-server";
import { startFakeLnd } from "../fakes/lnd-server";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { earn, earningTenant } from "../helpers/payouts";

let t: TestDatabase;
let app: ReturnType<typeof createApiApp>;

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
});
afterAll(async () => t?.drop());

describe("reconciliation", () => {
  it("matches after payments and payouts on the simulated node, and finds a planted difference", async () => {
    const owner = await earningTenant(t.db, "recon");
    await earn(app, owner.key, 3);
    const { payout } = await createPayout(t.db, { tenantId: owner.tenant.id, mode: "test", trigger: "manual" });
    expect(await runPayout(t.db, payout.id)).toBe("succeeded");

    const [test, live] = await runReconciliation(t.db, { trigger: "manual" });
    expect(test).toMatchObject({
      mode: "test",
      backend: "simulated",
      matched: true,
      ledgerLightningMsat: 1_500_000n - 1_495_000n,
      backendBalanceMsat: 5_000n,
      flowMsat: 5_000n,
      backendDifferenceMsat: 0n,
      flowDifferenceMsat: 0n,
    });
    expect(live).toMatchObject({ mode: "live", matched: true, ledgerLightningMsat: 0n });
    expect(await takeUnalertedMismatches(t.db)).toEqual([]);

    // Plant a difference: an entry that claims 7 sats more on the node than there are.
    const lightning = accounts.platformLightning("test");
    const fees = accounts.platformFees("test");
    await ensureAccounts(t.db, [lightning, fees]);
    await postEntry(t.db, {
      idempotencyKey: "planted:1",
      kind: "adjustment",
      mode: "test",
      postings: [
        { account: lightning, amountMsat: 7_000n },
        { account: fees, amountMsat: -7_000n },
      ],
    });
    const [planted] = await runReconciliation(t.db, { modes: ["test"] });
    expect(planted).toMatchObject({ matched: false, backendDifferenceMsat: -7_000n, flowDifferenceMsat: -7_000n });
    // History keeps every run, newest first; the mismatch is handed to the alert once.
    const history = await listReconciliationRuns(t.db);
    expect(history.map((r) => r.matched)).toEqual([false, true, true]);
    expect((await takeUnalertedMismatches(t.db)).map((r) => r.id)).toEqual([planted.id]);
    expect(await takeUnalertedMismatches(t.db)).toEqual([]);
  });

  it("raises a mismatch once as the operator's reconciliation.mismatch webhook", async () => {
    vi.stubEnv("OPERATOR_WEBHOOK_URL", "https://ops.example.com/hooks/tollbooth");
    vi.stubEnv("OPERATOR_WEBHOOK_SECRET", "whsec_operator_test_secret_0123456789");
    try {
      const [run] = await runReconciliation(t.db, { modes: ["test"] }); // the planted 7,000 msat is still there
      expect(run.matched).toBe(false);
      expect(await alertMismatches(t.db)).toBe(1);
      expect(await alertMismatches(t.db)).toBe(0); // once
      const events = await t.db.webhookEvent.findMany({ where: { type: "reconciliation.mismatch" } });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ tenantId: null, idempotencyKey: `reconciliation.mismatch:${run.id}` });
      expect(events[0]!.data).toMatchObject({ mode: "test", backendDifferenceMsat: "-7000", flowDifferenceMsat: "-7000" });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("alerts only a difference found twice in a row (one run's difference can be in flight)", async () => {
    vi.stubEnv("OPERATOR_WEBHOOK_URL", "https://ops.example.com/hooks/tollbooth");
    vi.stubEnv("OPERATOR_WEBHOOK_SECRET", "whsec_operator_test_secret_0123456789");
    const lightning = accounts.platformLightning("test");
    const fees = accounts.platformFees("test");
    const plant = (key: string, amountMsat: bigint) =>
      postEntry(t.db, {
        idempotencyKey: key,
        kind: "adjustment",
        mode: "test",
        postings: [
          { account: lightning, amountMsat },
          { account: fees, amountMsat: -amountMsat },
        ],
      });
    try {
      await plant("planted:undo", -7_000n); // back in balance
      expect((await runReconciliation(t.db, { modes: ["test"] }))[0]!.matched).toBe(true);
      await plant("planted:2", 3_000n);
      expect((await runReconciliation(t.db, { modes: ["test"] }))[0]!.matched).toBe(false);
      expect(await alertMismatches(t.db)).toBe(0); // once: maybe in flight
      await runReconciliation(t.db, { modes: ["test"] });
      expect(await alertMismatches(t.db)).toBe(1); // twice, the same: raised
      expect(await t.db.webhookEvent.count({ where: { type: "reconciliation.mismatch" } })).toBe(2);
    } finally {
      await plant("planted:undo2", -3_000n);
      vi.unstubAllEnvs();
    }
  });

  it("a backend that cannot answer is recorded with its error, not as a match of its balance", async () => {
    const [run] = await runReconciliation(t.db, {
      modes: ["live"],
      backendFor: () => {
        throw new Error("LND_REST_URL is not set");
      },
    });
    expect(run).toMatchObject({ backendBalanceMsat: null, backendDifferenceMsat: null, backendError: "LND_REST_URL is not set" });
  });
});

describe("backend balances", () => {
  it("LND: GET /v1/balance/channels (local_balance); LNbits: GET /api/v1/wallet", async () => {
    const lndFake = await startFakeLnd();
    const lnbitsFake = await startFakeLnbits();
    try {
      const lnd = createLndBackend({ restUrl: lndFake.url, macaroonHex: lndFake.macaroonHex });
      const invoice = await lnd.createInvoice({ amountMsat: 21_000n, description: "x", expirySeconds: 600 });
      expect(await lnd.balanceMsat()).toBe(0n);
      lndFake.settle(invoice.paymentHash);
      expect(await lnd.balanceMsat()).toBe(21_000n);
      expect(lndFake.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1/balance/channels" });

      const lnbits = createLnbitsBackend({ url: lnbitsFake.url, invoiceKey: lnbitsFake.invoiceKey, adminKey: lnbitsFake.adminKey });
      const incoming = await lnbits.createInvoice({ amountMsat: 5_000n, description: "y", expirySeconds: 600 });
      lnbitsFake.settle(incoming.paymentHash);
      expect(await lnbits.balanceMsat()).toBe(5_000n);
      expect(lnbitsFake.requests.at(-1)).toMatchObject({ method: "GET", path: "/api/v1/wallet" });
      expect(lnbitsFake.requests.at(-1)?.headers["x-api-key"]).toBe(lnbitsFake.invoiceKey);
    } finally {
      await lndFake.close();
      await lnbitsFake.close();
    }
  });
});
