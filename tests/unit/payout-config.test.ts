// Payout settings from the environment: the routing-fee cap and the retry backoff.
import { describe, expect, it } from "vitest";
import { maxRoutingFeeMsat, payoutConfig, retryDelaySeconds } from "../../lib/payouts/config";
import { payoutHoldUntil } from "../../lib/payouts/hold";

describe("payout config", () => {
  it("caps the routing fee at the larger of the share and the flat amount", () => {
    const config = payoutConfig({});
    expect(config).toMatchObject({ maxFeeBps: 50, maxFeeMsat: 10_000n, maxAttempts: 5, addressCooldownMs: 24 * 3_600_000 });
    expect(maxRoutingFeeMsat(1_000_000n, config)).toBe(10_000n); // 0.5% of 1,000 sats is 5 sats < 10
    expect(maxRoutingFeeMsat(100_000_000n, config)).toBe(500_000n); // 0.5% of 100,000 sats
    expect(maxRoutingFeeMsat(1_000_000n, payoutConfig({ PAYOUT_MAX_FEE_BPS: "0", PAYOUT_MAX_FEE_MSAT: "0" }))).toBe(0n);
  });

  it("backs off 4× per attempt, at most 6 hours", () => {
    const config = payoutConfig({ PAYOUT_RETRY_BASE_SECONDS: "60" });
    expect([1, 2, 3, 4, 5, 10].map((n) => retryDelaySeconds(n, config))).toEqual([60, 240, 960, 3840, 15360, 21600]);
  });

  it("refuses settings that are not whole numbers", () => {
    expect(() => payoutConfig({ PAYOUT_MAX_ATTEMPTS: "0" })).toThrow(/PAYOUT_MAX_ATTEMPTS/);
    expect(() => payoutConfig({ PAYOUT_MAX_FEE_BPS: "1.5" })).toThrow(/PAYOUT_MAX_FEE_BPS/);
    // A typo must not turn the cool-down off.
    expect(() => payoutConfig({ PAYOUT_ADDRESS_COOLDOWN_HOURS: "24h" })).toThrow(/PAYOUT_ADDRESS_COOLDOWN_HOURS/);
    // A lease shorter than a run could hand a payout to a second worker mid-payment.
    expect(() => payoutConfig({ PAYOUT_LEASE_SECONDS: "60", PAYOUT_PAY_TIMEOUT_SECONDS: "60" })).toThrow(/PAYOUT_LEASE_SECONDS/);
    expect(payoutConfig({ PAYOUT_LEASE_SECONDS: "120", PAYOUT_PAY_TIMEOUT_SECONDS: "60" }).leaseSeconds).toBe(120);
    expect(payoutConfig({ PAYOUT_ADDRESS_COOLDOWN_HOURS: "0.5" }).addressCooldownMs).toBe(1_800_000);
  });

  it("holds payouts for the cool-down after an address change", () => {
    const config = payoutConfig({ PAYOUT_ADDRESS_COOLDOWN_HOURS: "2" });
    const now = new Date("2026-12-01T12:00:00Z");
    expect(payoutHoldUntil({ lightningAddressChangedAt: null }, now, config)).toBeNull();
    expect(payoutHoldUntil({ lightningAddressChangedAt: new Date("2026-12-01T11:00:00Z") }, now, config)).toEqual(
      new Date("2026-12-01T13:00:00Z"),
    );
    expect(payoutHoldUntil({ lightningAddressChangedAt: new Date("2026-12-01T09:00:00Z") }, now, config)).toBeNull();
  });
});
