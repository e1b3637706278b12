/**
 * The baseline the hardening issue names: PostgreSQL's own pgbench running single-row
 * INSERTs (a custom script, no vacuum, no TPC-B tables) against the benchmark's scratch
 * database, in the same run as the measured phases.
 *
 * It is run twice: with pgbench's default of one client (the rate the "creation at
 * 0.19–0.21×, verification at 0.17×" reproduce against) and with as many clients as the
 * load generator has connections (what Postgres can take on these cores at that
 * concurrency). pgbench is C and needs no Node on the client side, so it is the harder
 * baseline of the two at 20 clients; see bench/README.md for how the targets are read.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface PgbenchResult {
  clients: number;
  /** Transactions (one INSERT each) per second, without connection time. */
  tps: number;
  latencyAverageMs: number;
}

/** pgbench on PATH or in the Debian layout; undefined when the machine has none. */
export function findPgbench(): string | undefined {
  const candidates = ["pgbench"];
  try {
    for (const version of fs.readdirSync("/usr/lib/postgresql")) candidates.push(`/usr/lib/postgresql/${version}/bin/pgbench`);
  } catch {
    // not the Debian layout
  }
  return candidates.find((bin) => spawnSync(bin, ["--version"], { stdio: "ignore" }).status === 0);
}

/** Runs `pgbench -n -f <INSERT script> -c clients -T seconds` and reads its summary. */
export function runPgbench(bin: string, url: string, table: string, clients: number, seconds: number): PgbenchResult {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tollbooth-pgbench-")), "insert.sql");
  // The same row as the pg baseline: a 96-character payload, id and timestamp by default.
  fs.writeFileSync(script, `INSERT INTO ${table} (payload) VALUES (repeat('ab', 48));\n`);
  const threads = Math.min(clients, os.availableParallelism());
  const output = execFileSync(
    bin,
    ["-n", "-f", script, "-c", String(clients), "-j", String(threads), "-T", String(Math.round(seconds)), url],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  fs.rmSync(path.dirname(script), { recursive: true, force: true });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
  const latency = /latency average = ([\d.]+) ms/.exec(output)?.[1];
  if (!tps || !latency) throw new Error(`could not read pgbench's output:\n${output}`);
  return { clients, tps: Number(tps), latencyAverageMs: Number(latency) };
}
