// Payout settings from the environment (read on each use, so tests and a reconfigured
// process see changes). The platform bears routing fees (its routing_fees expense): an
// owner receives exactly the amount of the payout, and the cap bounds what a payout can
// cost the platform.
type Environment = Readonly<Record<string, string | undefined>>;

export const DEFAULT_PAYOUT_THRESHOLD_MSAT = 1_000_000n;

function int(env: Environment, name: string, fallback: number, min = 0): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, not "${raw}"`);
  return value;
}

/** Hours, fractions allowed; a typo must not silently turn the cool-down off. */
function hours(env: Environment, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of hours ≥ 0, not "${raw}"`);
  return value;
}

export interface PayoutConfig {
  /** Routing fee cap: the larger of this share of the amount (basis points)… */
  maxFeeBps: number;
  /** …and this flat amount (small payouts need a base fee or two). */
  maxFeeMsat: bigint;
  /** Payouts to a Lightning address wait this long after it changed. */
  addressCooldownMs: number;
  /** Attempts (each with a fresh invoice) before a payout fails and its money is returned. */
  maxAttempts: number;
  /** Backoff after a failed attempt: base × 4^(attempt − 1), at most 6 hours. */
  retryBaseSeconds: number;
  /** How long one run may hold a payout; longer than a payment may take to settle. */
  leaseSeconds: number;
  /** How long a payment may take before the run leaves it in flight and looks again later. */
  payTimeoutSeconds: number;
  /** How soon an in-flight payment is looked up again. */
  recheckSeconds: number;
}

export function payoutConfig(env: Environment = process.env): PayoutConfig {
  const config = readConfig(env);
  // A lease that ends while its run is still paying would let a second worker take the
  // payout mid-payment. A run is the payment's timeout plus two LNURL requests and the
  // backend's grace past that timeout: twice the timeout covers it (120 s for the 60 s default).
  if (config.leaseSeconds < 2 * config.payTimeoutSeconds) {
    throw new Error(
      `PAYOUT_LEASE_SECONDS (${config.leaseSeconds}) must be at least twice PAYOUT_PAY_TIMEOUT_SECONDS (${config.payTimeoutSeconds})`,
    );
  }
  return config;
}

function readConfig(env: Environment): PayoutConfig {
  return {
    maxFeeBps: int(env, "PAYOUT_MAX_FEE_BPS", 50),
    maxFeeMsat: BigInt(int(env, "PAYOUT_MAX_FEE_MSAT", 10_000)),
    addressCooldownMs: hours(env, "PAYOUT_ADDRESS_COOLDOWN_HOURS", 24) * 3_600_000,
    maxAttempts: int(env, "PAYOUT_MAX_ATTEMPTS", 5, 1),
    retryBaseSeconds: int(env, "PAYOUT_RETRY_BASE_SECONDS", 60),
    leaseSeconds: int(env, "PAYOUT_LEASE_SECONDS", 120, 1),
    payTimeoutSeconds: int(env, "PAYOUT_PAY_TIMEOUT_SECONDS", 60, 1),
    recheckSeconds: int(env, "PAYOUT_RECHECK_SECONDS", 30, 1),
  };
}

export function maxRoutingFeeMsat(amountMsat: bigint, config: PayoutConfig = payoutConfig()): bigint {
  const share = (amountMsat * BigInt(config.maxFeeBps)) / 10_000n;
  return share > config.maxFeeMsat ? share : config.maxFeeMsat;
}

/** Seconds to wait after failed attempt number `attempt` (1-based). */
export function retryDelaySeconds(attempt: number, config: PayoutConfig = payoutConfig()): number {
  return Math.min(config.retryBaseSeconds * 4 ** Math.max(0, attempt - 1), 6 * 3600);
}
