// The background worker: the settlement watcher and housekeeping, outside web requests.
// Later issues add payouts and webhook delivery here.
//   npm run worker [-- --once]     --once runs every task a single time and exits
import { getDb } from "../lib/db/client";
import { purgeStaleThrottles } from "../lib/auth/throttle";
import { settlePaidInvoices } from "../lib/invoices/watch";
import { purgeExpiredInvoices } from "../lib/invoices/purge";

if (process.argv.includes("--help")) {
  console.log("Usage: npm run worker [-- --once]\n\nRuns the settlement watcher (credits invoices paid but never redeemed) and\nhousekeeping (stale sign-in throttles, expired invitations, expired unpaid\ninvoices).\nNeeds DATABASE_URL. --once: run each task once and exit.");
  process.exit(0);
}

const INTERVAL_MS = Number(process.env.WORKER_INTERVAL_SECONDS ?? 15) * 1000;

async function tick() {
  const db = getDb();
  const watched = await settlePaidInvoices(db);
  if (watched.settled || watched.expired) console.log(`[worker] settlement watcher: ${watched.settled} settled, ${watched.expired} expired of ${watched.checked} pending`);
  const throttles = await purgeStaleThrottles(db);
  // Invitations past their expiry can never be used; delete them a week later so the team
  // page can still say "expired" for a while.
  const invitations = await db.invitation.deleteMany({ where: { acceptedAt: null, expiresAt: { lt: new Date(Date.now() - 7 * 86_400_000) } } });
  // Unpaid invoices (each unpaid request makes one) go INVOICE_RETENTION_HOURS after expiry.
  const invoices = await purgeExpiredInvoices(db);
  if (invoices) console.log(`[worker] purged ${invoices} expired unpaid invoices`);
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
