// What /metrics reads from Postgres at scrape time: job queue depth by queue and state, the
// ledger's totals per mode and account type, settlements; and each process's pool.
import { getDb, poolStats } from "../db/client";
import { naturalBalance, type AccountType } from "../ledger/accounts";
import { JOB_SCHEMA } from "../jobs/queue";
import { Gauge } from "prom-client";
import { registry, sharedGauge } from "./registry";

const QUEUE_STATES = ["created", "retry", "active", "failed"] as const;

// Every queue, with 0 where it has no job in a state (an empty queue is worth seeing).
sharedGauge("tollbooth_queue_jobs", "Jobs waiting, retrying, running or failed, by queue and state", ["queue", "state"], async (gauge) => {
  const db = getDb();
  const queues = await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM ${JOB_SCHEMA}.queue`);
  const rows = await db.$queryRawUnsafe<{ name: string; state: string; count: number }[]>(
    `SELECT name, state::text AS state, count(*)::int AS count FROM ${JOB_SCHEMA}.job
      WHERE state IN ('created', 'retry', 'active', 'failed') GROUP BY name, state`,
  );
  gauge.reset();
  for (const { name } of queues) for (const state of QUEUE_STATES) gauge.set({ queue: name, state }, 0);
  for (const row of rows) gauge.set({ queue: row.name, state: row.state }, row.count);
});

sharedGauge(
  "tollbooth_ledger_balance_msat",
  "Ledger totals by mode and account type, as a person reads them (msat)",
  ["mode", "type"],
  async (gauge) => {
    const rows = await getDb().$queryRawUnsafe<{ mode: string; type: AccountType; sum: string }[]>(
      `SELECT a.mode::text AS mode, a.type::text AS type, coalesce(sum(p.amount_msat), 0)::text AS sum
       FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id GROUP BY a.mode, a.type`,
    );
    gauge.reset();
    for (const row of rows) gauge.set({ mode: row.mode, type: row.type }, Number(naturalBalance(row.type, BigInt(row.sum))));
  },
);

// Per process (summed across the cluster): each process has its own pool.
new Gauge({
  name: "tollbooth_db_pool_connections",
  help: "Database pool connections of the API processes, by state (total, idle, waiting requests)",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    const stats = poolStats(getDb());
    if (!stats) return;
    this.set({ state: "total" }, stats.total);
    this.set({ state: "idle" }, stats.idle);
    this.set({ state: "waiting" }, stats.waiting);
  },
});

sharedGauge(
  "tollbooth_settlements_total",
  "Payments settled into the ledger (journal entries of kind settlement), by mode",
  ["mode"],
  async (gauge) => {
    const rows = await getDb().$queryRawUnsafe<{ mode: string; count: number }[]>(
      `SELECT mode::text AS mode, count(*)::int AS count FROM journal_entries WHERE kind = 'settlement' GROUP BY mode`,
    );
    gauge.reset();
    for (const row of rows) gauge.set({ mode: row.mode }, row.count);
  },
);

sharedGauge("tollbooth_payouts", "Payouts by mode and state (pending, sending, succeeded, failed)", ["mode", "state"], async (gauge) => {
  const rows = await getDb().$queryRawUnsafe<{ mode: string; state: string; count: number }[]>(
    `SELECT mode::text AS mode, state::text AS state, count(*)::int AS count FROM payouts GROUP BY mode, state`,
  );
  gauge.reset();
  for (const row of rows) gauge.set({ mode: row.mode, state: row.state }, row.count);
});

sharedGauge("tollbooth_webhook_attempts_total", "Webhook delivery attempts (HTTP requests), by outcome", ["outcome"], async (gauge) => {
  const rows = await getDb().$queryRawUnsafe<{ outcome: string; count: number }[]>(
    `SELECT CASE WHEN succeeded THEN 'succeeded' WHEN succeeded IS NULL THEN 'in_flight' ELSE 'failed' END AS outcome,
            count(*)::int AS count FROM webhook_attempts GROUP BY 1`,
  );
  gauge.reset();
  for (const row of rows) gauge.set({ outcome: row.outcome }, row.count);
});
