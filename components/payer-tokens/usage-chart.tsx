"use client";
// Sats spent (bars) and calls (line) per UTC day on one payer token. The history table
// under it holds every exact amount.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export function PayerTokenUsageChart({ usage }: { usage: { day: string; spentMsat: string; calls: number }[] }) {
  const data = usage.map((d) => ({ day: d.day, label: d.day.slice(5), sats: Number(BigInt(d.spentMsat) / 1000n), calls: d.calls }));
  return (
    <div className="h-56 w-full min-w-0" role="img" aria-label="Sats spent and calls per day on this token">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 4, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e7e5e4" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis yAxisId="sats" allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
          <YAxis yAxisId="calls" orientation="right" allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          <Tooltip labelFormatter={(_, items) => (items?.[0]?.payload as { day?: string } | undefined)?.day ?? ""} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            yAxisId="sats"
            dataKey="sats"
            name="Sats spent"
            fill="#44403c"
            radius={[2, 2, 0, 0]}
            maxBarSize={48}
            isAnimationActive={false}
          />
          <Line yAxisId="calls" dataKey="calls" name="Calls" stroke="#d97706" strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
