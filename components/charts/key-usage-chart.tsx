"use client";
// Paid calls (bars) and sats (line) per day for one key. The numbers are also in the
// summary line and the table under it, for screen readers and for reading exact values.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { KeyUsageDay } from "@/lib/keys/queries/key-detail";

export function KeyUsageChart({ usage }: { usage: KeyUsageDay[] }) {
  const data = usage.map((d) => ({ ...d, label: d.date.slice(5) }));
  return (
    <div className="h-64 w-full min-w-0" role="img" aria-label="Paid calls and sats per day, last 30 days">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 4, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e7e5e4" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis yAxisId="calls" allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          <YAxis yAxisId="sats" orientation="right" allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
          <Tooltip
            labelFormatter={(_, items) => (items?.[0]?.payload as { date?: string } | undefined)?.date ?? ""}
            formatter={(value, name) => [Number(value).toLocaleString("en-US"), name]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="calls" dataKey="calls" name="Paid calls" fill="#44403c" radius={[2, 2, 0, 0]} isAnimationActive={false} />
          <Line
            yAxisId="sats"
            dataKey="sats"
            name="Sats"
            stroke="#d97706"
            strokeWidth={2}
            dot={false}
            type="monotone"
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
