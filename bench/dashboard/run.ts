/**
 * Dashboard benchmark: the stats API, the overview's query and the CSV export against a
 * seeded database (npm run bench:seed: 1,000,000 payments in tenant bench-1m, 1,000 in
 * bench-1k), measured in one run:
 *
 *   npm run bench:dashboard [-- --requests 300 --export-rounds 3 --only api,queries,export --database-url URL]
 *
 *   1. the stats API (GET /api/v1/stats over HTTP, keep-alive, one request at a time),
 *      alternating the 1k and the 1M tenant so both see the same machine: p50/p95/p99;
 *      the same with ?from= 30 days back;
 *   2. the overview's data (getOverviewStats, what the page renders) and the other
 *      dashboard queries at 1M, called directly;
 *   3. the full CSV export of the 1M tenant over HTTP (GET /api/v1/payments/export) against
 *      Postgres's own COPY (SELECT … the same rows …) TO STDOUT (FORMAT csv) through psql,
 *      alternating, rows/s each; this process's RSS sampled every 20 ms during the export.
 *
 * The API runs in this process (@hono/node-server on a free port), so the RSS is the
 * server's. Targets: stats p95 < 50 ms at 1M and ≤ 2× the 1k p95; export ≥ 0.5× COPY's
 * rows/s; RSS growth < 100 MB.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { serve } from "@hono/node-server";
import pg from "pg";
import { createApiApp } from "../../lib/api/app";
import { createDb, setDb, type Db } from "../../lib/db/client";
import { createApiKey } from "../../lib/keys/api-keys";
import { getBalance, getFailedCalls, getFunnel, getOverviewStats, getPayment, listBalanceHistory, listPayments } from "../../lib/stats";
import { paymentRowsSql } from "../../lib/stats/queries/payment-rows";
import { orderSql } from "../../lib/stats/queries/payment-rows";
import { Prisma } from "../../lib/db/generated/client";
import { BENCH_TENANTS, benchDatabaseUrl } from "./seed";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const REQUESTS = flag("--requests", 300);
const EXPORT_ROUNDS = flag("--export-rounds", 3);
const URL_ = benchDatabaseUrl(argv);
const ONLY = argv.includes("--only") ? argv[argv.indexOf("--only") + 1].split(",") : ["api", "queries", "export"];

process.env.API_RATE_LIMIT_PER_SECOND ??= "1000000";
process.env.API_RATE_LIMIT_BURST ??= "1000000";

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}
const ms = (value: number) => value.toFixed(2);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(port: number, path: string, key: string, onData?: (chunk: Buffer) => void): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get({ host: "127.0.0.1", port, path, agent, headers: { authorization: `Bearer ${key}` } }, (response) => {
      response.on("data", (chunk: Buffer) => onData?.(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

async function timeCalls(label: string, calls: number, run: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  const p = percentiles(samples);
  console.log(`  ${label.padEnd(44)} p50 ${ms(p.p50).padStart(7)}  p95 ${ms(p.p95).padStart(7)}  p99 ${ms(p.p99).padStart(7)} ms`);
  return p;
}

/** The export's rows and columns as one SELECT (the payment rows query the export pages
 *  through, without pages), parameters inlined: COPY takes none. */
function copySql(tenantId: string): string {
  const rows = paymentRowsSql({ tenantId, mode: "test" }, [], Prisma.sql`${orderSql("newest")}`);
  const sql = Prisma.sql`SELECT payment_hash, settled_at, endpoint, mode,
      trim_scale(amount_msat::numeric / 1000), amount_msat, trim_scale(fee_msat::numeric / 1000), fee_msat,
      trim_scale(net_msat::numeric / 1000), net_msat, redeemed, failed_calls
    FROM (${rows}) payment_rows`;
  let text = sql.text;
  sql.values.forEach((value, index) => {
    const literal = pg.escapeLiteral(value instanceof Date ? value.toISOString() : String(value));
    text = text.replace(new RegExp(`\\$${index + 1}(?!\\d)`, "g"), literal);
  });
  return text;
}

function runCopy(url: string, select: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", `COPY (${select}) TO STDOUT (FORMAT csv)`]);
    let rows = 0;
    let bytes = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) rows++;
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve({ rows, bytes, seconds: (performance.now() - started) / 1000 }) : reject(new Error(`psql: ${stderr}`)),
    );
  });
}

async function runExport(port: number, key: string) {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 20);
  let rows = 0;
  let bytes = 0;
  const result = await get(port, "/api/v1/payments/export?format=csv", key, (chunk) => {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) rows++;
  });
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  if (result.status !== 200) throw new Error(`export answered ${result.status}`);
  // The header line is not a row.
  return { rows: rows - 1, bytes, seconds: result.ms / 1000, rssBefore, rssPeak };
}

async function main() {
  const db: Db = createDb(URL_, 10);
  setDb(db);
  const tenants = await db.tenant.findMany({ where: { slug: { in: Object.values(BENCH_TENANTS) } } });
  const large = tenants.find((t) => t.slug === BENCH_TENANTS.large);
  const small = tenants.find((t) => t.slug === BENCH_TENANTS.small);
  if (!large || !small) throw new Error("Seed first: npm run bench:seed");
  const [largeCount, smallCount] = await Promise.all(
    [large, small].map((t) => db.journalEntry.count({ where: { tenantId: t.id, kind: "settlement" } })),
  );
  const largeKey = (await createApiKey(db, large.id, { name: "bench" })).key;
  const smallKey = (await createApiKey(db, small.id, { name: "bench" })).key;
  const load = (await import("node:os")).loadavg();
  console.log(`payments: ${large.slug} ${largeCount.toLocaleString("en")}, ${small.slug} ${smallCount.toLocaleString("en")}`);
  console.log(`load average at start: ${load.map((l) => l.toFixed(2)).join(" ")}`);

  const server = serve({ fetch: createApiApp().fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;

  const results: Record<string, ReturnType<typeof percentiles>> = {};
  let overview: ReturnType<typeof percentiles> | undefined;
  if (ONLY.includes("api")) {
    console.log(`\n1. stats API, GET /api/v1/stats, ${REQUESTS} requests per tenant, alternating`);
    const thirtyDaysAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    for (const [label, query] of [
      ["all time", ""],
      ["from 30 days back", `?from=${thirtyDaysAgo}`],
    ] as const) {
      const samples = { small: [] as number[], large: [] as number[] };
      for (let i = 0; i < 10; i++) {
        await get(port, `/api/v1/stats${query}`, smallKey);
        await get(port, `/api/v1/stats${query}`, largeKey);
      }
      for (let i = 0; i < REQUESTS; i++) {
        for (const [which, key] of [
          ["small", smallKey],
          ["large", largeKey],
        ] as const) {
          const response = await get(port, `/api/v1/stats${query}`, key);
          if (response.status !== 200) throw new Error(`stats answered ${response.status}`);
          samples[which].push(response.ms);
        }
      }
      for (const which of ["small", "large"] as const) {
        const p = percentiles(samples[which]);
        results[`${label} ${which}`] = p;
        const count = which === "small" ? smallCount : largeCount;
        console.log(
          `  ${label.padEnd(18)} ${count.toLocaleString("en").padStart(9)} payments: p50 ${ms(p.p50).padStart(6)}  p95 ${ms(p.p95).padStart(6)}  p99 ${ms(p.p99).padStart(6)}  max ${ms(p.max).padStart(6)} ms`,
        );
      }
      const ratio = results[`${label} large`].p95 / results[`${label} small`].p95;
      console.log(`  ${label}: p95 at 1M ÷ p95 at 1k = ${ratio.toFixed(2)}`);
    }
  }

  if (ONLY.includes("queries")) {
    console.log(`\n2. dashboard queries at ${largeCount.toLocaleString("en")} payments (direct calls, 50 each)`);
    const scope = { tenantId: large.id, mode: "test" as const };
    overview = await timeCalls("getOverviewStats (the overview page's data)", 50, () => getOverviewStats(db, scope));
    await timeCalls("getOverviewStats, last 90 days", 50, () =>
      getOverviewStats(db, { ...scope, from: new Date(Date.now() - 90 * 86_400_000) }),
    );
    await timeCalls("getBalance", 50, () => getBalance(db, scope));
    await timeCalls("getFunnel", 50, () => getFunnel(db, scope));
    await timeCalls("getFailedCalls (20)", 50, () => getFailedCalls(db, { ...scope, limit: 20 }));
    await timeCalls("listPayments, first page (50)", 50, () => listPayments(db, { ...scope, limit: 50 }));
    const middle = await listPayments(db, { ...scope, limit: 1, to: new Date(Date.now() - 182 * 86_400_000) });
    const deepCursor = (await listPayments(db, { ...scope, limit: 1, to: new Date(middle.data[0].settledAt) })).nextCursor ?? undefined;
    await timeCalls("listPayments, a page half a year back", 50, () => listPayments(db, { ...scope, limit: 50, cursor: deepCursor }));
    await timeCalls("listPayments, endpoint filter", 50, () => listPayments(db, { ...scope, limit: 50, endpoint: "GET /weather" }));
    await timeCalls("listPayments, status unredeemed", 50, () => listPayments(db, { ...scope, limit: 50, status: "unredeemed" }));
    await timeCalls("getPayment", 50, () => getPayment(db, { ...scope, paymentHash: middle.data[0].paymentHash }));
    await timeCalls("listBalanceHistory, first page (50)", 50, () => listBalanceHistory(db, { ...scope, limit: 50 }));
    const history = await listBalanceHistory(db, { ...scope, limit: 100 });
    let historyCursor = history.nextCursor ?? undefined;
    for (let i = 0; i < 50 && historyCursor; i++)
      historyCursor = (await listBalanceHistory(db, { ...scope, limit: 100, cursor: historyCursor })).nextCursor ?? undefined;
    await timeCalls("listBalanceHistory, page 5,000 rows back", 50, () =>
      listBalanceHistory(db, { ...scope, limit: 50, cursor: historyCursor }),
    );
  }

  const exportRuns: Awaited<ReturnType<typeof runExport>>[] = [];
  const copyRuns: Awaited<ReturnType<typeof runCopy>>[] = [];
  if (ONLY.includes("export")) {
    console.log(
      `\n3. full CSV export of ${largeCount.toLocaleString("en")} payments vs COPY of the same rows (${EXPORT_ROUNDS} rounds, alternating)`,
    );
    const select = copySql(large.id);
    for (let round = 0; round < EXPORT_ROUNDS; round++) {
      const copy = await runCopy(URL_, select);
      copyRuns.push(copy);
      console.log(
        `  COPY       ${copy.rows.toLocaleString("en")} rows, ${mb(copy.bytes)} MB in ${copy.seconds.toFixed(2)} s: ${Math.round(copy.rows / copy.seconds).toLocaleString("en")} rows/s`,
      );
      const exported = await runExport(port, largeKey);
      exportRuns.push(exported);
      console.log(
        `  export     ${exported.rows.toLocaleString("en")} rows, ${mb(exported.bytes)} MB in ${exported.seconds.toFixed(2)} s: ${Math.round(exported.rows / exported.seconds).toLocaleString("en")} rows/s; RSS ${mb(exported.rssBefore)} → peak ${mb(exported.rssPeak)} MB (+${mb(exported.rssPeak - exported.rssBefore)})`,
      );
      if (exported.rows !== copy.rows) throw new Error(`export has ${exported.rows} rows, COPY ${copy.rows}`);
    }
  }

  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log("\ntargets");
  const largeAll = results["all time large"];
  const smallAll = results["all time small"];
  if (largeAll && smallAll) {
    console.log(`  stats p95 at 1M < 50 ms:              ${ms(largeAll.p95)} ms — ${verdict(largeAll.p95 < 50)}`);
    const ratio = largeAll.p95 / smallAll.p95;
    console.log(`  stats p95 at 1M ≤ 2× p95 at 1k:       ${ratio.toFixed(2)}× — ${verdict(ratio <= 2)}`);
  }
  if (overview) console.log(`  overview query at 1M (p95):           ${ms(overview.p95)} ms`);
  if (exportRuns.length) {
    const rate = (run: { rows: number; seconds: number }) => run.rows / run.seconds;
    const best = Math.max(...exportRuns.map(rate)) / Math.max(...copyRuns.map(rate));
    const rounds = exportRuns.map((run, i) => (rate(run) / rate(copyRuns[i])).toFixed(2)).join(", ");
    const rssGrowth = Math.max(...exportRuns.map((run) => run.rssPeak - run.rssBefore));
    console.log(`  export ≥ 0.5× COPY rows/s (best):     ${best.toFixed(2)}× — ${verdict(best >= 0.5)} (round by round: ${rounds})`);
    console.log(`  RSS growth during export < 100 MB:    ${mb(rssGrowth)} MB — ${verdict(rssGrowth < 100 * 1024 * 1024)}`);
  }
  console.log(
    `load average at end: ${(await import("node:os"))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );

  server.close();
  agent.destroy();
  await db.apiKey.deleteMany({ where: { name: "bench", tenantId: { in: [large.id, small.id] } } });
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
