// The background worker, outside web requests: the settlement watcher, housekeeping
// and the job queue's handlers (payouts, webhook deliveries: lib/jobs/handlers.ts).
//   npm run worker [-- --once]     --once runs every task a single time and exits
import { getDb } from "../lib/db/client";
import { databaseUrl } from "../lib/db/url";
import { runHousekeeping } from "../lib/jobs/housekeeping";
import { startWorker } from "../lib/jobs/worker";
import { redactProcessOutput } from "../lib/http/log-redaction";
import { routeConsoleToLogger } from "../lib/log/console";
import { describeLiveLightning, TEST_KEYS_LIGHTNING } from "../lib/lightning/select";

if (process.argv.includes("--help")) {
  console.log(
    "Usage: npm run worker [-- --once]\n\nRuns the job queue (pg-boss: payouts, webhook deliveries), the settlement watcher (credits invoices paid but never redeemed) and\nhousekeeping (stale sign-in throttles, expired invitations, expired unpaid\ninvoices, folding finished days of the stats rollups).\nNeeds DATABASE_URL. --once: run each task once and exit (status 1 if one failed).",
  );
  process.exit(0);
}

// The same output as the app's: structured lines (LOG_FORMAT), secrets filtered.
redactProcessOutput();
routeConsoleToLogger();

const lightning = describeLiveLightning();
console.log(`[worker] Lightning: ${lightning.live}; ${TEST_KEYS_LIGHTNING}`);
if (lightning.problem) console.error(`[worker] Lightning: ${lightning.problem}`);

let db: ReturnType<typeof getDb>;
try {
  db = getDb();
} catch (error) {
  // Misconfigured (no DATABASE_URL): nothing to retry, say so and stop.
  console.error(`[worker] ${(error as Error).message}`);
  process.exit(1);
}

if (process.argv.includes("--once")) {
  const ok = await runHousekeeping(db);
  await db.$disconnect().catch(() => {});
  process.exit(ok ? 0 : 1);
}

const worker = await startWorker({ db, url: databaseUrl() });
console.log(`[worker] job queue started; housekeeping every ${Number(process.env.WORKER_INTERVAL_SECONDS ?? 15)}s`);

async function stop() {
  await worker.stop();
  await db.$disconnect().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
