// Amounts as a person reads them. The ledger counts millisatoshis in bigint; the screen
// shows sats by default, msat or BTC on request, always exact (bigint arithmetic, no
// floats) and always with the same separators (no locale: the server and the browser
// must render the same text).
export const AMOUNT_UNITS = ["sats", "msat", "btc"] as const;
export type AmountUnit = (typeof AMOUNT_UNITS)[number];

const MSAT_PER_SAT = 1000n;
const MSAT_PER_BTC = 100_000_000_000n;

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `whole.fraction` with the fraction's trailing zeros dropped down to `minDecimals`. */
function decimal(absMsat: bigint, perUnit: bigint, decimals: number, minDecimals: number): string {
  const whole = absMsat / perUnit;
  const fraction = (absMsat % perUnit).toString().padStart(decimals, "0");
  let end = fraction.length;
  while (end > minDecimals && fraction[end - 1] === "0") end--;
  return end > 0 ? `${group(whole.toString())}.${fraction.slice(0, end)}` : group(whole.toString());
}

export function formatMsat(msat: bigint | string, unit: AmountUnit = "sats", options: { signed?: boolean } = {}): string {
  const value = typeof msat === "bigint" ? msat : BigInt(msat);
  const abs = value < 0n ? -value : value;
  const sign = value < 0n ? "−" : options.signed && value > 0n ? "+" : "";
  if (unit === "msat") return `${sign}${group(abs.toString())} msat`;
  // BTC: 8 decimals as wallets show it, up to 11 when msat need them (1 msat = 1e-11 BTC).
  if (unit === "btc") return `${sign}${decimal(abs, MSAT_PER_BTC, 11, 8)} BTC`;
  return `${sign}${decimal(abs, MSAT_PER_SAT, 3, 0)} sats`;
}
