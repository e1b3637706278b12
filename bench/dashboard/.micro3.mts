import pg from "/work/wt/8-stats/node_modules/pg/lib/index.js";
import { Prisma } from "/work/wt/8-stats/lib/db/generated/client";
import { paymentRowsSql, orderSql, toPaymentRow } from "/work/wt/8-stats/lib/stats/queries/payment-rows";
import { paymentCsvLine } from "/work/wt/8-stats/lib/stats/export";
const c = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/tollbooth_bench" });
await c.connect();
const scope = { tenantId: "tenant_bench_1m", mode: "test" as const };
const sql = paymentRowsSql(scope, [], Prisma.sql`${orderSql("newest")}`);
for (const frac of ["1", "0.1"]) {
  const t0 = performance.now();
  await c.query("BEGIN READ ONLY");
  await c.query(`SET LOCAL cursor_tuple_fraction = ${frac}`);
  await c.query({ text: `DECLARE export_cursor NO SCROLL CURSOR FOR ${sql.text}`, values: sql.values });
  let n = 0;
  let fmt = 0;
  let next = c.query("FETCH 5000 FROM export_cursor");
  for (;;) {
    const r = await next;
    if (r.rows.length === 0) break;
    next = c.query("FETCH 5000 FROM export_cursor");
    const f = performance.now();
    let s = "";
    for (const row of r.rows) s += paymentCsvLine(toPaymentRow(row));
    fmt += performance.now() - f;
    n += r.rows.length;
  }
  await c.query("COMMIT");
  const total = performance.now() - t0;
  console.log(
    `cursor_tuple_fraction ${frac}: ${n} rows in ${(total / 1000).toFixed(2)} s = ${Math.round((n / total) * 1000)} rows/s, formatting ${(fmt / 1000).toFixed(2)} s`,
  );
}
await c.end();
