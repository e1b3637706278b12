"use client";
// Payments and sats per day (recharts), with 7D / 30D / 90D / All ranges. The data is the
// overview's per-day totals; switching range needs no round trip.
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useAmountUnit } from "@/components/ui/amount";
import { CHART_RANGES, type ChartRange, chartDays } from "@/lib/dashboard/chart-days";
import { formatMsat } from "@/lib/format/amount";
import { satsToMsat } from "@/lib/stats/money";
import type { DayTotals } from "@/lib/stats/types";

const RANGE_LABELS: Record<ChartRange, string> = { "7d": "7D", "30d": "30D", "90d": "90D", all: "All" };
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const shortDate = (date: string) =>
  new Date(`${date}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function DailyCharts({ byDay, today }: { byDay: DayTotals[]; today: string }) {
  const [range, setRange] = useState<ChartRange>("30d");
  const unit = useAmountUnit();
  const days = chartDays(byDay, range, today);
  const totals = days.reduce((sum, d) => ({ count: sum.count + d.count, sats: sum.sats + d.sats }), { count: 0, sats: 0 });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-stone-600" data-testid="chart-totals">
          {totals.count.toLocaleString("en-US")} payments · {formatMsat(satsToMsat(totals.sats), unit)}
        </p>
        {/* biome-ignore lint/a11y/useSemanticElements: a segmented control */}
        <div role="group" aria-label="Chart range" className="inline-flex rounded-md border border-stone-300 bg-white p-0.5 text-xs">
          {CHART_RANGES.map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={range === option}
              onClick={() => setRange(option)}
              className={`rounded px-2.5 py-1 font-medium ${range === option ? "bg-stone-900 text-white" : "text-stone-600 hover:bg-stone-100"}`}
            >
              {RANGE_LABELS[option]}
            </button>
          ))}
        </div>
      </div>
      <div className="grid grid-cols-1 gap-6 md:grid-cols-2">
        <DayChart title="Payments per day" days={days} dataKey="count" color="#1c1917" format={(v) => v.toLocaleString("en-US")} />
        <DayChart title="Sats per day" days={days} dataKey="sats" color="#d97706" format={(v) => formatMsat(satsToMsat(v), unit)} />
      </div>
    </div>
  );
}

function DayChart({
  title,
  days,
  dataKey,
  color,
  format,
}: {
  title: string;
  days: DayTotals[];
  dataKey: "count" | "sats";
  color: string;
  format: (value: number) => string;
}) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-2 text-xs font-medium uppercase tracking-wide text-stone-500">{title}</figcaption>
      <div className="h-44 w-full">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height: 176 }}>
          <BarChart data={days} margin={{ top: 4, right: 4, bottom: 0, left: -12 }}>
            <CartesianGrid vertical={false} stroke="#e7e5e4" />
            <XAxis
              dataKey="date"
              tickFormatter={shortDate}
              tick={{ fontSize: 11, fill: "#78716c" }}
              tickLine={false}
              axisLine={false}
              minTickGap={24}
            />
            <YAxis
              allowDecimals={false}
              tickFormatter={(v: number) => compact.format(v)}
              tick={{ fontSize: 11, fill: "#78716c" }}
              tickLine={false}
              axisLine={false}
              width={44}
            />
            <Tooltip
              cursor={{ fill: "#f5f5f4" }}
              labelFormatter={(label) => shortDate(String(label))}
              formatter={(value) => [format(Number(value)), title.replace(" per day", "")]}
              contentStyle={{ fontSize: 12, borderRadius: 8, borderColor: "#e7e5e4" }}
            />
            <Bar dataKey={dataKey} fill={color} radius={[2, 2, 0, 0]} maxBarSize={24} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
