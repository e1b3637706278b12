/**
 * The client's wallets against HTTP fakes: Tollbooth's dev wallet (POST /api/dev/pay)
 * and LND's REST SendPaymentV2 stream (POST /v2/router/send). No Lightning node runs on
 * these machines, so the LND fake follows LND's documented REST behaviour.
 */
import { afterEach, describe, expect, it } from "vitest";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { createL402Fetch, devWallet, lndWallet, L402WalletError } from "@/packages/l402/src/client/index";
import { FakeLightning, startFakeDevWallet, startFakeLnd, startPaywall, type LndBehaviour, type RunningServer } from "./client-fakes";

const MACAROON_HEX = `0201036c6e6402f801030a10${"ab".repeat(20)}`;

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function walletErrorOf(promise: Promise<unknown>): Promise<L402WalletError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a wallet error");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(L402WalletError);
  return error as L402WalletError;
}

describe("devWallet", () => {
  it("pays through POST /api/dev/pay and returns the preimage of the invoice", async () => {
    const lightning = new FakeLightning();
    const wallet = await startFakeDevWallet(lightning);
    running.push(wallet);
    const { invoice, paymentHash } = await lightning.issueInvoice(5000n);

    const { preimage } = await devWallet({ baseUrl: `${wallet.url}/` }).payInvoice({ invoice });

    expect(bytesToHex(sha256(hexToBytes(preimage)))).toBe(bytesToHex(paymentHash));
    expect(wallet.paid).toEqual([invoice]);
  });

  it("throws the service's error message when it refuses", async () => {
    const lightning = new FakeLightning();
    const wallet = await startFakeDevWallet(lightning);
    running.push(wallet);
    const { invoice } = await new FakeLightning().issueInvoice(5000n); // issued elsewhere: unknown to this node

    const error = await walletErrorOf(devWallet({ baseUrl: wallet.url }).payInvoice({ invoice }));

    expect(error.code).toBe("payment_failed");
    expect(error.message).toBe("dev wallet refused to pay: This invoice was not issued by the simulated node.");
  });

  it("says when the service cannot be reached", async () => {
    const error = await walletErrorOf(devWallet({ baseUrl: "http://127.0.0.1:9" }).payInvoice({ invoice: "lnbcrt1x" }));
    expect(error.code).toBe("wallet_unavailable");
    expect(error.message).toContain("http://127.0.0.1:9/api/dev/pay");
  });
});

describe("lndWallet", () => {
  async function setUp(behaviour: LndBehaviour) {
    const lightning = new FakeLightning();
    const lnd = await startFakeLnd(lightning, { macaroonHex: MACAROON_HEX, behaviour });
    running.push(lnd);
    return {
      lightning,
      lnd,
      wallet: lndWallet({ restUrl: `${lnd.url}/`, macaroonHex: MACAROON_HEX, timeoutSeconds: 30, feeLimitSats: 5 }),
    };
  }

  it("reads the SendPaymentV2 stream to SUCCEEDED and returns the preimage", async () => {
    const { lightning, lnd, wallet } = await setUp("succeed");
    const { invoice, paymentHash } = await lightning.issueInvoice(21_000n);

    const { preimage } = await wallet.payInvoice({ invoice });

    expect(bytesToHex(sha256(hexToBytes(preimage)))).toBe(bytesToHex(paymentHash));
    expect(lnd.sendRequests).toEqual([{ payment_request: invoice, timeout_seconds: 30, fee_limit_sat: "5", no_inflight_updates: true }]);
  });

  it("reports FAILED with LND's failure reason", async () => {
    const { lightning, wallet } = await setUp("fail");
    const { invoice } = await lightning.issueInvoice(21_000n);
    const error = await walletErrorOf(wallet.payInvoice({ invoice }));
    expect(error.code).toBe("payment_failed");
    expect(error.message).toContain("FAILURE_REASON_NO_ROUTE");
    expect(error.mayHaveBeenPaid).toBe(false);
  });

  it("reports a stream that ends in flight as possibly paid", async () => {
    const { lightning, wallet } = await setUp("in-flight");
    const { invoice } = await lightning.issueInvoice(21_000n);
    const error = await walletErrorOf(wallet.payInvoice({ invoice }));
    expect(error.code).toBe("payment_in_flight");
    expect(error.mayHaveBeenPaid).toBe(true);
  });

  it("rejects a preimage that does not hash to the invoice's payment hash", async () => {
    const { lightning, wallet } = await setUp("wrong-preimage");
    const { invoice } = await lightning.issueInvoice(21_000n);
    expect((await walletErrorOf(wallet.payInvoice({ invoice }))).code).toBe("bad_preimage");
  });

  it("passes on LND's message for a wrong macaroon", async () => {
    const { lightning, lnd } = await setUp("succeed");
    const { invoice } = await lightning.issueInvoice(21_000n);
    const error = await walletErrorOf(lndWallet({ restUrl: lnd.url, macaroonHex: "00ff" }).payInvoice({ invoice }));
    expect(error.message).toBe("LND refused to pay: verification failed: signature mismatch after caveat verification");
  });

  it("refuses a macaroon that is not hex", () => {
    expect(() => lndWallet({ restUrl: "https://127.0.0.1:8080", macaroonHex: "not hex" })).toThrow(/hex/);
  });

  it("drives createL402Fetch end to end, and an in-flight payment stays counted against the budget", async () => {
    const lightning = new FakeLightning();
    const paywall = await startPaywall({ lightning, invoiceSats: 8 });
    const lnd = await startFakeLnd(lightning, { macaroonHex: MACAROON_HEX, behaviour: "succeed" });
    const stuckLnd = await startFakeLnd(lightning, { macaroonHex: MACAROON_HEX, behaviour: "in-flight" });
    running.push(paywall, lnd, stuckLnd);

    const paidFetch = createL402Fetch({ wallet: lndWallet({ restUrl: lnd.url, macaroonHex: MACAROON_HEX }), maxPriceSats: 10 });
    expect((await paidFetch(`${paywall.url}/premium`)).status).toBe(200);
    expect(paidFetch.spentSats).toBe(8);

    const stuckFetch = createL402Fetch({
      wallet: lndWallet({ restUrl: stuckLnd.url, macaroonHex: MACAROON_HEX }),
      maxPriceSats: 10,
      budgetSats: 10,
    });
    expect((await walletErrorOf(stuckFetch(`${paywall.url}/premium`))).code).toBe("payment_in_flight");
    await expect(stuckFetch(`${paywall.url}/premium`)).rejects.toMatchObject({ code: "over_budget" });
  });
});
