/**
 * Seeds the dashboard benchmark's database: one tenant with 1,000,000 settled payments over
 * the last year (slug bench-1m) and one with 1,000 (bench-1k), both in test mode, on five
 * endpoints, with the invoices, tokens, settlement journal entries (three postings each),
 * some unpaid challenges and failed calls, and the stats rollups.
 *
 *   npm run bench:seed [-- --payments 1000000 --small 1000 --database-url URL]
 *
 * The rows are generated in Postgres (generate_series, INSERT … SELECT): no row crosses the
 * wire. Triggers and foreign keys are skipped while inserting (session_replication_role =
 * replica: the rows are built balanced, in their accounts' mode), and checked afterwards:
 * the seed fails unless the ledger balances and the rollups equal the ledger's sums.
 * The database (default tollbooth_bench) is dropped and created afresh.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { applyMigrations } from "../../lib/db/migrate";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const BENCH_TENANTS = { large: "bench-1m", small: "bench-1k" } as const;
export const BENCH_ENDPOINTS = [
  { method: "GET", path: "/premium", priceSats: 100 },
  { method: "GET", path: "/search", priceSats: 10 },
  { method: "POST", path: "/reports/:id", priceSats: 1000 },
  { method: "GET", path: "/files/*", priceSats: 21 },
  { method: "GET", path: "/weather", priceSats: 250 },
];

export function benchDatabaseUrl(argv: string[]): string {
  const flag = argv.indexOf("--database-url");
  if (flag >= 0) return argv[flag + 1];
  const server = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  server.pathname = "/tollbooth_bench";
  return server.toString();
}

function numberFlag(argv: string[], name: string, fallback: number): number {
  const flag = argv.indexOf(name);
  return flag >= 0 ? Number(argv[flag + 1]) : fallback;
}

async function recreateDatabase(url: string) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name ${name}`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** One tenant's year of payments. Every number is a function of the row number i, so the
 *  1k and 1M tenants have the same shape. */
async function seedTenant(db: pg.Client, slug: string, payments: number) {
  const tenantId = `tenant_${slug.replace(/-/g, "_")}`;
  console.log(`${slug}: ${payments.toLocaleString("en")} payments`);
  await db.query(`INSERT INTO tenants (id, name, slug, updated_at) VALUES ($1, $2, $3, now())`, [tenantId, `Bench ${slug}`, slug]);
  for (const [index, endpoint] of BENCH_ENDPOINTS.entries()) {
    await db.query(`INSERT INTO endpoints (id, tenant_id, method, path, price_sats, updated_at) VALUES ($1, $2, $3, $4, $5, now())`, [
      `${tenantId}_ep${index}`,
      tenantId,
      endpoint.method,
      endpoint.path,
      endpoint.priceSats,
    ]);
  }
  const available = `test:tenant:${tenantId}:available`;
  await db.query(
    `INSERT INTO ledger_accounts (id, type, mode, tenant_id) VALUES
       ('test:platform:lightning', 'asset', 'test', NULL), ('test:platform:fees', 'revenue', 'test', NULL), ($1, 'liability', 'test', $2)
     ON CONFLICT (id) DO NOTHING`,
    [available, tenantId],
  );
  const prices = `ARRAY[${BENCH_ENDPOINTS.map((e) => e.priceSats).join(",")}]::bigint[]`;
  const labels = `ARRAY[${BENCH_ENDPOINTS.map((e) => `'${e.method} ${e.path}'`).join(",")}]::text[]`;
  // Payment i settles at now - 365 days + i × (365 days / n), so the newest is just now.
  await timed("generate", () =>
    db.query(
      `CREATE TEMP TABLE seed ON COMMIT DROP AS
       SELECT i, encode(sha256(convert_to($1 || ':' || i, 'UTF8')), 'hex') AS hash, (i % 5) AS ep,
         (${labels})[1 + i % 5] AS endpoint, (${prices})[1 + i % 5] * 1000 AS amount_msat,
         ((${prices})[1 + i % 5] * 1000 * 30) / 10000 AS fee_msat,
         date_trunc('milliseconds', now() - interval '365 days' + (i * (interval '365 days' / $2::int))) AS at
       FROM generate_series(1, $2::int) i`,
      [tenantId, payments],
    ),
  );
  await timed("invoices", () =>
    db.query(
      `INSERT INTO invoices (payment_hash, tenant_id, endpoint_id, mode, backend, bolt11, amount_msat, fee_bps, description, state, expires_at, settled_at, created_at)
       SELECT hash, $1, $1 || '_ep' || ep, 'test', 'simulated', 'lntbs' || i, amount_msat, 30, endpoint, 'paid', at + interval '10 minutes', at, at - interval '3 seconds'
       FROM seed`,
      [tenantId],
    ),
  );
  // 2% of the payments were credited by the watcher and never redeemed.
  await timed("tokens", () =>
    db.query(
      `INSERT INTO l402_tokens (root_key_id, token_id, payment_hash, root_key, tenant_id, endpoint_id, endpoint_label, uses_allowed, uses_consumed, redemption_count, valid_until, last_redeemed_at, created_at)
       SELECT encode(sha256(convert_to('rk' || hash, 'UTF8')), 'hex'), encode(sha256(convert_to('tk' || hash, 'UTF8')), 'hex'), hash,
         sha256(convert_to('key' || hash, 'UTF8')), $1, $1 || '_ep' || ep, endpoint, 1,
         CASE WHEN i % 50 = 0 THEN 0 ELSE 1 END, CASE WHEN i % 50 = 0 THEN 0 ELSE 1 END,
         at + interval '1 hour', CASE WHEN i % 50 = 0 THEN NULL ELSE at END, at - interval '3 seconds'
       FROM seed`,
      [tenantId],
    ),
  );
  await timed("journal entries", () =>
    db.query(
      `INSERT INTO journal_entries (id, idempotency_key, kind, mode, tenant_id, payment_hash, created_at)
       SELECT 'seed-' || substr(hash, 1, 32), 'settle:' || hash, 'settlement', 'test', $1, hash, at FROM seed`,
      [tenantId],
    ),
  );
  await timed("postings", () =>
    db.query(
      `INSERT INTO postings (id, entry_id, account_id, mode, amount_msat)
       SELECT 'seed-' || substr(hash, 1, 32) || p.n, 'seed-' || substr(hash, 1, 32), p.account, 'test',
         CASE p.n WHEN 1 THEN amount_msat WHEN 2 THEN -(amount_msat - fee_msat) ELSE -fee_msat END
       FROM seed CROSS JOIN (VALUES (1, 'test:platform:lightning'), (2, $1), (3, 'test:platform:fees')) AS p(n, account)`,
      [available],
    ),
  );
  // One unpaid challenge for every ten payments; one failed call for every thousand.
  await timed("unpaid challenges and failed calls", async () => {
    await db.query(
      `INSERT INTO invoices (payment_hash, tenant_id, endpoint_id, mode, backend, bolt11, amount_msat, fee_bps, description, state, expires_at, created_at)
       SELECT encode(sha256(convert_to('unpaid' || hash, 'UTF8')), 'hex'), $1, $1 || '_ep' || ep, 'test', 'simulated', 'lntbs-u' || i,
         amount_msat, 30, endpoint, 'expired', at + interval '10 minutes', at
       FROM seed WHERE i % 10 = 0`,
      [tenantId],
    );
    await db.query(
      `INSERT INTO failed_calls (payment_hash, redemption, tenant_id, endpoint, status, reason, created_at)
       SELECT hash, 1, $1, endpoint, 502, 'upstream timeout', at + interval '1 second' FROM seed WHERE i % 1000 = 7`,
      [tenantId],
    );
  });
  // The rollups, as the settling statements would have kept them (shard 0: past days are folded).
  await timed("rollups", () =>
    db.query(
      `INSERT INTO stats_daily (tenant_id, mode, day, endpoint, shard, challenges, payments, amount_msat, fee_msat, net_msat, redeemed)
       SELECT $1, 'test', (at AT TIME ZONE 'UTC')::date, endpoint, 0,
         count(*) + count(*) FILTER (WHERE i % 10 = 0), count(*), SUM(amount_msat), SUM(fee_msat), SUM(amount_msat - fee_msat),
         count(*) FILTER (WHERE i % 50 <> 0)
       FROM seed GROUP BY 3, 4`,
      [tenantId],
    ),
  );
}

async function check(db: pg.Client, slug: string) {
  const tenantId = `tenant_${slug.replace(/-/g, "_")}`;
  const { rows } = await db.query(
    `SELECT
       (SELECT SUM(p.amount_msat) FROM postings p JOIN journal_entries je ON je.id = p.entry_id WHERE je.tenant_id = $1)::text AS ledger_sum,
       (SELECT -SUM(p.amount_msat) FROM postings p WHERE p.account_id = $2)::text AS ledger_net,
       (SELECT count(*) FROM journal_entries WHERE tenant_id = $1 AND kind = 'settlement')::int AS ledger_payments,
       (SELECT SUM(net_msat) FROM stats_daily WHERE tenant_id = $1)::text AS rollup_net,
       (SELECT SUM(payments) FROM stats_daily WHERE tenant_id = $1)::int AS rollup_payments,
       (SELECT count(*) FROM invoices WHERE tenant_id = $1)::int AS invoices,
       (SELECT SUM(challenges) FROM stats_daily WHERE tenant_id = $1)::int AS rollup_challenges`,
    [tenantId, `test:tenant:${tenantId}:available`],
  );
  const r = rows[0];
  const ok =
    r.ledger_sum === "0" && r.ledger_net === r.rollup_net && r.ledger_payments === r.rollup_payments && r.invoices === r.rollup_challenges;
  console.log(
    `${slug}: ledger balances (${r.ledger_sum}), ${r.ledger_payments} payments, net ${r.ledger_net} msat; rollups ${r.rollup_payments} payments, net ${r.rollup_net}, ${r.rollup_challenges} challenges — ${ok ? "OK" : "MISMATCH"}`,
  );
  if (!ok) throw new Error(`seed check failed for ${slug}`);
}

async function main() {
  const argv = process.argv.slice(2);
  const url = benchDatabaseUrl(argv);
  const payments = numberFlag(argv, "--payments", 1_000_000);
  const small = numberFlag(argv, "--small", 1_000);
  const started = performance.now();
  console.log(`database ${url.replace(/\/\/[^@]*@/, "//")} (recreated)`);
  await recreateDatabase(url);
  process.env.MIGRATIONS_DIR ??= path.join(ROOT, "prisma/migrations");
  await applyMigrations(url);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query("SET TIME ZONE 'UTC'");
  for (const [slug, count] of [
    [BENCH_TENANTS.small, small],
    [BENCH_TENANTS.large, payments],
  ] as const) {
    await db.query("BEGIN");
    await db.query("SET LOCAL session_replication_role = replica");
    await seedTenant(db, slug, count);
    await db.query("COMMIT");
  }
  await timed("vacuum analyze", () => db.query("VACUUM ANALYZE"));
  for (const slug of [BENCH_TENANTS.small, BENCH_TENANTS.large]) await check(db, slug);
  await db.end();
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
