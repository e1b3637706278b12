"use client";
// Sats by endpoint (recharts donut) with a legend that carries the numbers, so it reads at
// 390 px where long endpoint labels would not fit on an axis.
import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from "recharts";
import { useAmountUnit } from "@/components/ui/amount";
import { formatMsat } from "@/lib/format/amount";
import { satsToMsat } from "@/lib/stats/money";
import type { EndpointTotals } from "@/lib/stats/types";

const COLORS = ["#d97706", "#1c1917", "#0d9488", "#7c3aed", "#dc2626", "#2563eb", "#65a30d", "#a8a29e"];
const MAX_SLICES = 7;

export function EndpointChart({ byEndpoint }: { byEndpoint: Record<string, EndpointTotals> }) {
  const unit = useAmountUnit();
  const sorted = Object.entries(byEndpoint)
    .map(([endpoint, totals]) => ({ endpoint, ...totals }))
    .sort((a, b) => b.sats - a.sats);
  // Beyond the top few, one "Other" slice keeps the chart legible.
  const slices = sorted.slice(0, sorted.length > MAX_SLICES + 1 ? MAX_SLICES : sorted.length);
  if (slices.length < sorted.length) {
    const rest = sorted.slice(MAX_SLICES);
    slices.push({
      endpoint: `${rest.length} others`,
      count: rest.reduce((sum, e) => sum + e.count, 0),
      sats: rest.reduce((sum, e) => sum + e.sats, 0),
    });
  }
  const total = slices.reduce((sum, s) => sum + s.sats, 0);
  return (
    <div className="grid items-center gap-4 sm:grid-cols-[10rem_1fr]">
      <div className="mx-auto h-40 w-40">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 160, height: 160 }}>
          <PieChart>
            <Pie
              data={slices}
              dataKey="sats"
              nameKey="endpoint"
              innerRadius="58%"
              outerRadius="100%"
              paddingAngle={slices.length > 1 ? 1 : 0}
              isAnimationActive={false}
            >
              {slices.map((slice, i) => (
                <Cell key={slice.endpoint} fill={COLORS[i % COLORS.length]} />
              ))}
            </Pie>
            <Tooltip formatter={(value) => formatMsat(satsToMsat(Number(value)), unit)} contentStyle={{ fontSize: 12, borderRadius: 8 }} />
          </PieChart>
        </ResponsiveContainer>
      </div>
      <ul className="min-w-0 space-y-2.5 text-sm" data-testid="endpoint-legend">
        {slices.map((slice, i) => (
          <li key={slice.endpoint} className="flex min-w-0 items-start gap-2">
            <span aria-hidden className="mt-1 size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: COLORS[i % COLORS.length] }} />
            <span className="min-w-0 flex-1">
              <code className="block truncate text-xs text-stone-800" title={slice.endpoint}>
                {slice.endpoint}
              </code>
              <span className="block text-xs text-stone-500">
                <span className="font-medium tabular-nums text-stone-900">{formatMsat(satsToMsat(slice.sats), unit)}</span> ·{" "}
                {slice.count.toLocaleString("en-US")} {slice.count === 1 ? "payment" : "payments"}
                {total > 0 ? ` · ${Math.round((slice.sats / total) * 100)}%` : ""}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
