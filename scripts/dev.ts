// `npm run dev`: the whole product on embedded defaults. With DATABASE_URL unset it starts
// an embedded PGlite (data under .data/), applies migrations, seeds the demo tenant, then
// serves the app (Next + the Hono API) on one port and prints how to sign in.
//   --prod   serve the production build (after `npm run build`) instead of Next dev
//   --help
import { applyMigrations } from "../lib/db/migrate";
import { serveEmbeddedDatabase, type ResolvedDatabase } from "../lib/db/resolve";
import { ensureAuthSecret } from "../lib/db/secret";

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(`Usage: npm run dev [-- --prod]

Starts Tollbooth on http://localhost:$PORT (default 3000).
  DATABASE_URL unset  embedded PGlite under .data/ (TOLLBOOTH_DATA_DIR), demo tenant seeded
  DATABASE_URL set    that Postgres; migrations applied, demo tenant seeded
  --prod              serve the production build (run \`npm run build\` first)`);
  process.exit(0);
}

const prod = process.argv.includes("--prod");
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const port = Number(process.env.PORT ?? 3000);
process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
// A local demo: webhooks may go to receivers on this machine (localhost, the LAN).
process.env.WEBHOOK_ALLOW_PRIVATE ??= "1";
ensureAuthSecret();

let database: ResolvedDatabase | undefined;
if (!process.env.DATABASE_URL) {
  database = await serveEmbeddedDatabase();
  process.env.DATABASE_URL = database.url;
  // One backend behind the socket: a small pool queues less and behaves the same.
  process.env.DATABASE_POOL_MAX ??= "4";
}

// The demo user is an operator too, so a newcomer sees the console (/admin); a set
// PLATFORM_ADMIN_EMAILS (even empty) is left alone.
const { DEMO_EMAIL } = await import("../lib/seed/demo");
process.env.PLATFORM_ADMIN_EMAILS ??= DEMO_EMAIL;

const applied = await applyMigrations(process.env.DATABASE_URL!);
const { getDb } = await import("../lib/db/client");
const { seedDemo } = await import("../lib/seed/demo");
const demo = await seedDemo(getDb());

// Next reads NODE_ENV to pick its mode; the launcher decides it here. The production build
// served by this launcher is still a local demo (seeded, well-known login), so it keeps the
// dev wallet on: it is off in production only where nobody asked for it (npm start).
if (prod) {
  (process.env as Record<string, string>).NODE_ENV = "production";
  process.env.DEV_WALLET ??= "1";
}
const { startServer } = await import("../server");
const { devWalletEnabled } = await import("../lib/api/routes/dev");
const { describeLiveLightning, TEST_KEYS_LIGHTNING } = await import("../lib/lightning/select");
const { simulatedLnurlEnabled } = await import("../lib/dev/tools");
await startServer({ port, dev: !prod });
// The worker (job queue and housekeeping) in this process, so payouts, webhooks and the
// settlement watcher run in the demo without a second command. WORKER=0 leaves it out.
const { startWorker } = await import("../lib/jobs/worker");
const worker = process.env.WORKER === "0" ? undefined : await startWorker({ db: getDb(), url: process.env.DATABASE_URL!, poolMax: 1 });
const lightning = describeLiveLightning();

const url = `http://localhost:${port}`;
// The banner's sign-in and test key are meant to be read: past the output filter.
const { printUnredacted } = await import("../lib/http/log-redaction");
printUnredacted(`
  Tollbooth is running at ${url}
  Database:   ${database ? "embedded PGlite (.data/)" : "DATABASE_URL"}; ${applied.length ? `applied ${applied.length} migration(s)` : "migrations up to date"}
  Lightning:  ${lightning.live}
              ${TEST_KEYS_LIGHTNING}${lightning.problem ? `\n  Problem:    ${lightning.problem}` : ""}

  Demo login: ${demo.email}
  Password:   ${demo.password}
  Test API key (every scope, simulated sats only):
              ${demo.apiKey}
  Try it:     curl -X POST ${url}/api/v1/invoices -H "Authorization: Bearer ${demo.apiKey}" \\
                -H "Content-Type: application/json" -d '{"endpoint":"GET /premium"}'
  Operator console: ${process.env.PLATFORM_ADMIN_EMAILS ? `${url}/admin (for ${process.env.PLATFORM_ADMIN_EMAILS})` : "off (PLATFORM_ADMIN_EMAILS is empty)"}
  Dev wallet: ${devWalletEnabled() ? `${url}/dev/wallet` : "off (DEV_WALLET)"}
  Lightning address: ${simulatedLnurlEnabled() ? `any user@localhost:${port} (simulated LNURL-pay server); the demo's is ${demo.lightningAddress}` : "the simulated LNURL-pay server is off"}
  Health:     ${url}/api/health
`);

async function shutdown() {
  // Close the embedded database cleanly so its files are consistent on disk.
  await worker?.stop().catch(() => {});
  await database?.stop().catch(() => {});
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
