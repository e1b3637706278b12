/**
 * The invoice-service benchmark at 1, 2 and N API processes (API_PROCESSES), side by side.
 * Runs run.ts once per process count (each run measures its own baselines of single-row
 * INSERTs: through pg, and with pgbench at 1 and 20 clients; so every ratio compares
 * numbers taken minutes apart at most) and prints one table of creations and
 * verifications as rates and as ratios to pgbench.
 *
 *   npx tsx bench/invoice-service/processes.ts [--counts 1,2,4] [run.ts options...]
 *
 * --counts defaults to 1, 2 and the number of cores. Other options go to run.ts unchanged
 * (--duration, --connections, --database-url...); profiling is off (--no-profile).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log(`usage: npx tsx bench/invoice-service/processes.ts [--counts 1,2,${os.availableParallelism()}] [run.ts options]

Runs bench/invoice-service/run.ts once per API_PROCESSES count and prints the results side by side.
Targets: creation >= 0.25x and verification >= 0.2x the baseline INSERT rate of the same run.`);
  process.exit(0);
}
const countsAt = args.indexOf("--counts");
const counts =
  countsAt >= 0
    ? args.splice(countsAt, 2)[1]!.split(",").map(Number)
    : [...new Set([1, 2, os.availableParallelism()])].sort((a, b) => a - b);

interface Phase {
  name: string;
  rate: number;
  p99: number;
  errors: number;
}
interface Pgbench {
  clients: number;
  tps: number;
}
const rows: { processes: number; baseline: number; pgbench: Pgbench[]; create: Phase; verify: Phase }[] = [];
for (const [i, processes] of counts.entries()) {
  const json = path.join(os.tmpdir(), `tollbooth-bench-processes-${processes}.json`);
  const extra = i > 0 ? ["--skip-build"] : [];
  console.log(`\n### API_PROCESSES=${processes}`);
  execFileSync(
    process.execPath,
    ["--import", "tsx", path.join(HERE, "run.ts"), "--processes", String(processes), "--no-profile", "--json", json, ...extra, ...args],
    { stdio: "inherit" },
  );
  const out = JSON.parse(fs.readFileSync(json, "utf8")) as { results: Phase[]; pgbench?: Pgbench[] };
  const find = (prefix: string) => out.results.find((r) => r.name.startsWith(prefix))!;
  rows.push({
    processes,
    baseline: find("baseline").rate,
    pgbench: out.pgbench ?? [],
    create: find("create-max"),
    verify: find("verify-max"),
  });
}

const f = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (phase: Phase, rate: number | undefined) => (rate ? `${f(phase.rate / rate, 2)}×` : "–");
const tpsAt = (row: (typeof rows)[number], one: boolean) => row.pgbench.find((p) => (one ? p.clients === 1 : p.clients > 1))?.tps;
console.log(`\nAPI processes side by side (${os.availableParallelism()} cores; each row's ratios against its own run's baselines)\n`);
console.log(
  "| API_PROCESSES | pg INSERTs/s (20 conn) | pgbench 1 client | pgbench 20 clients | creations/s | ÷ pgbench 1 / 20 | verifications/s | ÷ pgbench 1 / 20 | errors |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const row of rows) {
  const one = tpsAt(row, true);
  const many = tpsAt(row, false);
  console.log(
    `| ${row.processes} | ${f(row.baseline)} | ${one ? f(one) : "–"} | ${many ? f(many) : "–"} | ${f(row.create.rate)} | ${ratio(row.create, one)} / ${ratio(row.create, many)} | ${f(row.verify.rate)} | ${ratio(row.verify, one)} / ${ratio(row.verify, many)} | ${row.create.errors + row.verify.errors} |`,
  );
}
const best = rows.reduce((a, b) => (b.create.rate > a.create.rate ? b : a));
for (const [label, tps] of [
  ["pgbench, 1 client", tpsAt(best, true)],
  ["pgbench, 20 clients", tpsAt(best, false)],
] as const) {
  if (!tps) continue;
  console.log(
    `targets against ${label}, at ${best.processes} processes (the best): creation >= 0.25x: ${best.create.rate / tps >= 0.25 ? "met" : "missed"} (${f(best.create.rate / tps, 3)}x); verification >= 0.2x: ${best.verify.rate / tps >= 0.2 ? "met" : "missed"} (${f(best.verify.rate / tps, 3)}x)`,
  );
}
