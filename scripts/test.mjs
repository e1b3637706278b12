#!/usr/bin/env node
// `npm test`: the whole suite. Unit and integration tests (vitest), then the browser tests
// (Playwright in Debian's chromium). With DATABASE_URL set, everything runs on that
// Postgres server (each test file and the e2e server get a database of their own);
// without it, on embedded PGlite. No browser → a loud failure, unless SKIP_E2E=1.
//   --help
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

if (process.argv.includes("--help")) {
  console.log(`Usage: npm test

Runs vitest (tests/unit, tests/integration) and then Playwright (tests/e2e).
  DATABASE_URL   Postgres server to test against (a database per test file); unset: PGlite
  CHROMIUM_PATH  browser for e2e (default /usr/bin/chromium)
  SKIP_E2E=1     skip the browser tests (reported as SKIPPED, never as passed)`);
  process.exit(0);
}

const run = (command, args, env = process.env) => spawnSync(command, args, { stdio: "inherit", env }).status ?? 1;
const banner = (text) => console.log(`\n${"=".repeat(72)}\n${text}\n${"=".repeat(72)}`);

banner(`Unit and integration tests on ${process.env.DATABASE_URL ? "Postgres (DATABASE_URL)" : "embedded PGlite"}`);
if (run("npx", ["vitest", "run"]) !== 0) {
  console.error("\nFAILED: unit/integration tests.");
  process.exit(1);
}

const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
if (!chromium) {
  banner("NO BROWSER FOUND: the e2e tests did NOT run.\nInstall Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.");
  if (process.env.SKIP_E2E === "1") {
    console.log("SKIP_E2E=1: e2e tests SKIPPED (not passed).");
    process.exit(0);
  }
  process.exit(1);
}

banner(`End-to-end tests in ${chromium}`);
const env = { ...process.env, CHROMIUM_PATH: chromium, NEXT_TELEMETRY_DISABLED: "1" };
let cleanup = async () => {};
if (process.env.DATABASE_URL) {
  const name = `tb_e2e_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  cleanup = async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
} else {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tb-e2e-"));
  env.TOLLBOOTH_DATA_DIR = dataDir;
  cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
}
const status = run("npx", ["playwright", "test"], env);
await cleanup();
if (status !== 0) {
  console.error("\nFAILED: e2e tests.");
  process.exit(1);
}
banner("All tests passed (unit, integration, e2e).");
