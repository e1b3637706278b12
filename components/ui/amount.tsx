"use client";
// Amounts everywhere on the dashboard: sats by default, msat on hover, and one unit toggle
// (sats / msat / BTC) that every <Amount> on the page follows. The choice is remembered
// in localStorage; the server renders sats, so the first paint never depends on it.
import { useSyncExternalStore } from "react";
import { AMOUNT_UNITS, type AmountUnit, formatMsat } from "@/lib/format/amount";

const STORAGE_KEY = "tb_amount_unit";
const listeners = new Set<() => void>();

function readUnit(): AmountUnit {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return (AMOUNT_UNITS as readonly string[]).includes(stored ?? "") ? (stored as AmountUnit) : "sats";
  } catch {
    return "sats";
  }
}

function setUnit(unit: AmountUnit) {
  try {
    window.localStorage.setItem(STORAGE_KEY, unit);
  } catch {
    // Private mode without storage: the toggle still works for this page.
  }
  current = unit;
  for (const listener of listeners) listener();
}

let current: AmountUnit | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY) return;
    current = readUnit();
    listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useAmountUnit(): AmountUnit {
  return useSyncExternalStore(
    subscribe,
    () => (current ??= readUnit()),
    () => "sats",
  );
}

/** An amount given in msat (a decimal string: bigint does not cross to the client as is). */
export function Amount({ msat, signed = false, className = "" }: { msat: string; signed?: boolean; className?: string }) {
  const unit = useAmountUnit();
  return (
    <span className={`whitespace-nowrap tabular-nums ${className}`} title={formatMsat(msat, "msat", { signed })} data-msat={msat}>
      {formatMsat(msat, unit, { signed })}
    </span>
  );
}

const LABELS: Record<AmountUnit, string> = { sats: "sats", msat: "msat", btc: "BTC" };

export function AmountUnitToggle() {
  const unit = useAmountUnit();
  return (
    <fieldset className="inline-flex items-center rounded-md border border-stone-300 bg-white p-0.5 text-xs" data-testid="amount-unit">
      <legend className="sr-only">Show amounts in</legend>
      {AMOUNT_UNITS.map((option) => (
        <label
          key={option}
          className={`cursor-pointer rounded px-2 py-1 font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 ${
            unit === option ? "bg-stone-900 text-white" : "text-stone-600 hover:bg-stone-100"
          }`}
        >
          <input
            type="radio"
            name="amount-unit"
            value={option}
            checked={unit === option}
            onChange={() => setUnit(option)}
            className="sr-only"
          />
          {LABELS[option]}
        </label>
      ))}
    </fieldset>
  );
}
