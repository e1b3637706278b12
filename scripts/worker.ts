// The background worker: the settlement watcher and housekeeping, outside web requests.
// Later issues add payouts and webhook delivery here (lib/jobs/housekeeping.ts).
//   npm run worker [-- --once]     --once runs every task a single time and exits
import { getDb } from "../lib/db/client";
import { runHousekeeping } from "../lib/jobs/housekeeping";
import { describeLiveLightning, TEST_KEYS_LIGHTNING } from "../lib/lightning/select";

if (process.argv.includes("--help")) {
  console.log(
    "Usage: npm run worker [-- --once]\n\nRuns the settlement watcher (credits invoices paid but never redeemed) and\nhousekeeping (stale sign-in throttles, expired invitations, expired unpaid\ninvoices, folding finished days of the stats rollups).\nNeeds DATABASE_URL. --once: run each task once and exit (status 1 if one failed).",
  );
  process.exit(0);
}

const INTERVAL_MS = Number(process.env.WORKER_INTERVAL_SECONDS ?? 15) * 1000;
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

// Every run, the first included, is guarded (runHousekeeping never throws): a database
// that is not up yet at start-up is logged and retried, not a crash. The next run is
// scheduled only when this one has finished, so slow lookups never pile runs up.
let timer: NodeJS.Timeout | undefined;
let stopping = false;
async function loop() {
  await runHousekeeping(db);
  if (!stopping) timer = setTimeout(loop, INTERVAL_MS);
}
console.log(`[worker] running every ${INTERVAL_MS / 1000}s`);
void loop();

async function stop() {
  stopping = true;
  clearTimeout(timer);
  await db.$disconnect().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
