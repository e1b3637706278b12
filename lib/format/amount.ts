// How amounts read on screen, in the unit the owner picked: sats (the default), msat or BTC.
// From millisatoshis (bigint or its decimal string) with integer arithmetic only, so a 63
// msat fee shows as 0.063 sats and 1 msat as 0.00000000001 BTC, never a rounded float.
export const AMOUNT_UNITS = ["sats", "msat", "btc"] as const;
export type AmountUnit = (typeof AMOUNT_UNITS)[number];

const MSAT_PER_SAT = 1000n;
const MSAT_PER_BTC = 100_000_000_000n;

function grouped(whole: bigint): string {
  return whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** integer part, then the fraction with `digits` places, trailing zeros trimmed to `keep`. */
function decimal(msat: bigint, per: bigint, digits: number, keep: number): string {
  const negative = msat < 0n;
  const abs = negative ? -msat : msat;
  const whole = abs / per;
  let fraction = (abs % per).toString().padStart(digits, "0");
  while (fraction.length > keep && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return `${negative ? "-" : ""}${grouped(whole)}${fraction ? `.${fraction}` : ""}`;
}

export function formatAmount(msat: bigint | string, unit: AmountUnit = "sats"): string {
  const value = typeof msat === "bigint" ? msat : BigInt(msat);
  switch (unit) {
    case "msat":
      return `${value < 0n ? "-" : ""}${grouped(value < 0n ? -value : value)} msat`;
    case "btc":
      return `${decimal(value, MSAT_PER_BTC, 11, 8)} BTC`;
    default:
      return `${decimal(value, MSAT_PER_SAT, 3, 0)} ${value === MSAT_PER_SAT ? "sat" : "sats"}`;
  }
}

/** Whole sats (chart axes, counts of sats) as msat, for formatAmount. */
export const satsToMsat = (sats: number): bigint => BigInt(Math.round(sats * 1000));
