import { createDb } from "/work/wt/8-stats/lib/db/client";
import { paymentExportRows, paymentCsvLine } from "/work/wt/8-stats/lib/stats/export";
const db = createDb("postgresql://postgres@127.0.0.1:5432/tollbooth_bench", 4);
const scope = { tenantId: "tenant_bench_1m", mode: "test" as const, to: new Date(Date.now() - 300 * 86400_000) };
for (const chunk of [2000, 5000]) {
  const t0 = performance.now();
  let waiting = 0;
  let n = 0;
  let fmt = 0;
  const it = paymentExportRows(db, scope, chunk);
  for (;;) {
    const w = performance.now();
    const r = await it.next();
    waiting += performance.now() - w;
    if (r.done) break;
    const f = performance.now();
    let s = "";
    for (const row of r.value) s += paymentCsvLine(row);
    fmt += performance.now() - f;
    n += r.value.length;
  }
  const total = performance.now() - t0;
  console.log(
    `chunk ${chunk}: ${n} rows ${(total / 1000).toFixed(2)} s, ${Math.round((n / total) * 1000)} rows/s; waiting ${(waiting / 1000).toFixed(2)} s, formatting ${(fmt / 1000).toFixed(2)} s`,
  );
}
await db.$disconnect();
