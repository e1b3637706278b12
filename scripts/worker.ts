// The background worker: housekeeping that should not run inside a web request. Later
// issues add the settlement watcher, payouts and webhook delivery here.
//   npm run worker [-- --once]     --once runs every task a single time and exits
import { getDb } from "../lib/db/client";
import { purgeStaleThrottles } from "../lib/auth/throttle";

if (process.argv.includes("--help")) {
  console.log("Usage: npm run worker [-- --once]\n\nRuns periodic housekeeping (stale sign-in throttles, expired invitations).\nNeeds DATABASE_URL. --once: run each task once and exit.");
  process.exit(0);
}

const INTERVAL_MS = Number(process.env.WORKER_INTERVAL_SECONDS ?? 60) * 1000;

async function tick() {
  const db = getDb();
  const throttles = await purgeStaleThrottles(db);
  // Invitations past their expiry can never be used; delete them a week later so the team
  // page can still say "expired" for a while.
  const invitations = await db.invitation.deleteMany({ where: { acceptedAt: null, expiresAt: { lt: new Date(Date.now() - 7 * 86_400_000) } } });
  if (throttles || invitations.count) console.log(`[worker] purged ${throttles} sign-in throttles, ${invitations.count} expired invitations`);
}

await tick();
if (!process.argv.includes("--once")) {
  console.log(`[worker] running every ${INTERVAL_MS / 1000}s`);
  const timer = setInterval(() => tick().catch((error) => console.error("[worker]", error)), INTERVAL_MS);
  const stop = async () => { clearInterval(timer); await getDb().$disconnect(); process.exit(0); };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  await getDb().$disconnect();
}
