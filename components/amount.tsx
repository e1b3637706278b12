"use client";
// Amounts in the unit the owner picked (sats, msat or BTC), the same everywhere on a page.
// The choice is kept in localStorage; the server renders sats, the default.
import { createContext, useContext, useEffect, useState } from "react";
import { AMOUNT_UNITS, type AmountUnit, formatAmount } from "@/lib/format/amount";

const STORAGE_KEY = "tb_amount_unit";
const UnitContext = createContext<{ unit: AmountUnit; setUnit: (unit: AmountUnit) => void }>({ unit: "sats", setUnit: () => {} });

export function AmountUnitProvider({ children }: { children: React.ReactNode }) {
  const [unit, setUnitState] = useState<AmountUnit>("sats");
  useEffect(() => {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved && (AMOUNT_UNITS as readonly string[]).includes(saved)) setUnitState(saved as AmountUnit);
  }, []);
  const setUnit = (next: AmountUnit) => {
    setUnitState(next);
    window.localStorage.setItem(STORAGE_KEY, next);
  };
  return <UnitContext.Provider value={{ unit, setUnit }}>{children}</UnitContext.Provider>;
}

export function useAmountUnit() {
  return useContext(UnitContext);
}

/** An amount given in millisatoshis (decimal string: bigint does not cross to the client). */
export function Amount({ msat, className }: { msat: string; className?: string }) {
  const { unit } = useAmountUnit();
  return (
    <span className={`tabular-nums ${className ?? ""}`} data-msat={msat}>
      {formatAmount(msat, unit)}
    </span>
  );
}

const LABELS: Record<AmountUnit, string> = { sats: "sats", msat: "msat", btc: "BTC" };

export function AmountUnitToggle() {
  const { unit, setUnit } = useAmountUnit();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a segmented control, not a form field set
    <div role="group" aria-label="Show amounts in" className="inline-flex rounded-md border border-stone-300 bg-white p-0.5 text-xs">
      {AMOUNT_UNITS.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={unit === option}
          onClick={() => setUnit(option)}
          className={`rounded px-2 py-1 font-medium ${unit === option ? "bg-stone-900 text-white" : "text-stone-600 hover:bg-stone-100"}`}
        >
          {LABELS[option]}
        </button>
      ))}
    </div>
  );
}
