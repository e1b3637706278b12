"use client";
// The platform's volume and fee revenue per day (sats), every day of the window filled in
// so quiet days show as gaps, not as a squeezed axis.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AdminDay } from "@/lib/admin/overview";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const shortDate = (date: string) =>
  new Date(`${date}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

function fillDays(byDay: AdminDay[], days: number, today: string) {
  const known = new Map(byDay.map((d) => [d.day, d]));
  const end = new Date(`${today}T00:00:00Z`).getTime();
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    const row = known.get(day);
    return { day, volume: row ? Number(row.volumeMsat) / 1000 : 0, fees: row ? Number(row.feeMsat) / 1000 : 0 };
  });
}

export function VolumeChart({ byDay, today, days = 30 }: { byDay: AdminDay[]; today: string; days?: number }) {
  const data = fillDays(byDay, days, today);
  return (
    <div className="grid grid-cols-1 gap-6 md:grid-cols-2">
      <DayBars title="Volume per day (sats)" data={data} dataKey="volume" color="#1c1917" />
      <DayBars title="Fee revenue per day (sats)" data={data} dataKey="fees" color="#d97706" />
    </div>
  );
}

function DayBars({
  title,
  data,
  dataKey,
  color,
}: {
  title: string;
  data: ReturnType<typeof fillDays>;
  dataKey: "volume" | "fees";
  color: string;
}) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-2 text-xs font-medium uppercase tracking-wide text-stone-500">{title}</figcaption>
      <div className="h-44 w-full">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height: 176 }}>
          <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -12 }}>
            <CartesianGrid vertical={false} stroke="#e7e5e4" />
            <XAxis
              dataKey="day"
              tickFormatter={shortDate}
              tick={{ fontSize: 11, fill: "#78716c" }}
              tickLine={false}
              axisLine={false}
              minTickGap={24}
            />
            <YAxis
              tickFormatter={(v: number) => compact.format(v)}
              tick={{ fontSize: 11, fill: "#78716c" }}
              tickLine={false}
              axisLine={false}
              width={44}
            />
            <Tooltip
              cursor={{ fill: "#f5f5f4" }}
              labelFormatter={(label) => shortDate(String(label))}
              formatter={(value) => [
                `${Number(value).toLocaleString("en-US", { maximumFractionDigits: 3 })} sats`,
                dataKey === "volume" ? "Volume" : "Fees",
              ]}
              contentStyle={{ fontSize: 12, borderRadius: 8, borderColor: "#e7e5e4" }}
            />
            <Bar dataKey={dataKey} fill={color} radius={[2, 2, 0, 0]} maxBarSize={24} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
