/**
 * The invoice-service benchmark at 1, 2 and N API processes (API_PROCESSES), side by side.
 * Runs run.ts once per process count (each run measures its own pgbench-style baseline of
 * single-row INSERTs, so every ratio compares numbers taken minutes apart at most) and
 * prints one table of creations and verifications as rates and as ratios to the baseline.
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
const rows: { processes: number; baseline: number; create: Phase; verify: Phase }[] = [];
for (const [i, processes] of counts.entries()) {
  const json = path.join(os.tmpdir(), `tollbooth-bench-processes-${processes}.json`);
  const extra = i > 0 ? ["--skip-build"] : [];
  console.log(`\n### API_PROCESSES=${processes}`);
  execFileSync(
    process.execPath,
    ["--import", "tsx", path.join(HERE, "run.ts"), "--processes", String(processes), "--no-profile", "--json", json, ...extra, ...args],
    {
      stdio: "inherit",
    },
  );
  const out = JSON.parse(fs.readFileSync(json, "utf8")) as { results: Phase[] };
  const find = (prefix: string) => out.results.find((r) => r.name.startsWith(prefix))!;
  rows.push({ processes, baseline: find("baseline").rate, create: find("create-max"), verify: find("verify-max") });
}

const f = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(`\nAPI processes side by side (${os.availableParallelism()} cores; each row's ratios against its own run's baseline)\n`);
console.log("| API_PROCESSES | baseline INSERTs/s | creations/s | ratio | verifications/s | ratio | errors |");
console.log("|---:|---:|---:|---:|---:|---:|---:|");
for (const row of rows) {
  const ratio = (phase: Phase) => f(phase.rate / row.baseline, 2);
  console.log(
    `| ${row.processes} | ${f(row.baseline)} | ${f(row.create.rate)} | ${ratio(row.create)}× | ${f(row.verify.rate)} | ${ratio(row.verify)}× | ${row.create.errors + row.verify.errors} |`,
  );
}
const best = rows.at(-1)!;
console.log(
  `\ntargets at ${best.processes} processes: creation >= 0.25x: ${best.create.rate / best.baseline >= 0.25 ? "met" : "missed"}; verification >= 0.2x: ${best.verify.rate / best.baseline >= 0.2 ? "met" : "missed"}`,
);
