/**
 * Invoice-service benchmark: invoice creation and L402 verification through HTTP against
 * real Postgres, with a baseline measured in the same run (plain single-row INSERTs
 * through `pg`), so results can be read as ratios on whatever machine runs it.
 *
 *   npx tsx bench/invoice-service/run.ts [--duration 10] [--connections 20] [--help]
 *
 * What it does, in order (see --help for every option):
 *   1. builds dist/server.js (node scripts/build-server.mjs), creates a fresh database
 *      on the Postgres server, applies the migrations, seeds a tenant, a test key and
 *      the endpoint GET /premium (10 sats, single use);
 *   2. baseline: N pg connections doing single-row INSERTs into a plain table;
 *   3. starts the API in a child process (node dist/server.js --api-only, NODE_ENV=production,
 *      API_RATE_LIMIT_PER_SECOND=1000000) and drives it from this process with a closed-loop
 *      keep-alive HTTP load generator (node:http Agent):
 *        create-max   POST /api/v1/invoices, N connections, as fast as it answers;
 *        verify-max   POST /api/v1/l402/verify, each credential once (paid beforehand by
 *                     reading its preimage from simulated_invoices), as fast as it answers;
 *        create-open  fixed arrival rate (750/s: half the 1,500/s target), latency measured
 *                     from each request's scheduled start (no coordinated omission);
 *        verify-open  fixed arrival rate (600/s: half the 1,200/s target);
 *   4. with profiling on (the default), two more server children run with --cpu-prof: one
 *      under a creation load, one under a verification load (at the open-loop rates unless
 *      --profile-at max), and their self time is summarised by function and category
 *      (profile.ts);
 *   5. prints the results table, ratios to the baseline, CPU use per process, which
 *      targets are met; drops the database and stops the child, also on failure or Ctrl-C.
 *
 * Every response is checked (201 with a payment hash, bolt11 and macaroon; 200 with
 * valid:true); anything else counts as an error and the run says so.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { findPgbench, runPgbench, type PgbenchResult } from "./pgbench";
import { formatSummary, summarizeProfile, type ProfileSummary } from "./profile";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET_CREATE = 1500;
const TARGET_VERIFY = 1200;
const TARGET_P99_MS = 25;
// The hardening issue's targets, as ratios to pgbench's single-row INSERT rate.
const TARGET_CREATE_RATIO = 0.25;
const TARGET_VERIFY_RATIO = 0.2;

// ---------------------------------------------------------------- options

const HELP = `Invoice-service benchmark (creations and verifications over HTTP, real Postgres)

usage: npx tsx bench/invoice-service/run.ts [options]

  --duration S        seconds per measured phase (default 10)
  --connections N     concurrent keep-alive connections in the closed-loop phases,
                      and pg connections in the baseline (default 20)
  --create-rate R     open-loop creation rate (default 750 = half the 1,500/s target)
  --verify-rate R     open-loop verification rate (default 600 = half the 1,200/s target)
  --verify-pool N     paid credentials prepared for verify-max (default 2500 × duration);
                      the phase ends early, and says so, if they run out
  --pool-max N        DATABASE_POOL_MAX for the server child (default: the server's own, 10)
  --soak MINUTES      instead of the phases: a soak at the open-loop rates, one minute at
                      a time (creations, then verifications of what was paid), reporting
                      each minute's p99, errors and the server's RSS
  --processes N       API_PROCESSES for the server child (default 1; the profiled children
                      always run one process, so their profile is the whole server)
  --database-url URL  Postgres server to create the scratch database on
                      (default $DATABASE_URL or postgresql://postgres@127.0.0.1:5432/postgres)
  --no-pgbench        skip the pgbench baselines (run when pgbench is installed: one
                      client, pgbench's default, and --connections clients)
  --no-profile        skip the two --cpu-prof runs
  --profile-dir DIR   where the .cpuprofile files go (default a new folder under the OS temp dir)
  --profile-at WHAT   load during the profiles: "open" (default: the open-loop rates, so the
                      samples are CPU work, not time spent descheduled on a saturated box)
                      or "max" (the closed loop, as fast as it answers)
  --top N             functions listed per profile (default 20)
  --skip-build        use the existing dist/server.js
  --webhook           give the tenant an enabled webhook endpoint subscribed to
                      payment.settled, so each settling verify also stores the event and
                      queues its fan-out (no worker runs: nothing is sent)
  --json FILE         also write all results as JSON to FILE
  --help              this text
`;

interface Options {
  duration: number;
  connections: number;
  createRate: number;
  verifyRate: number;
  verifyPool: number;
  poolMax?: number;
  processes: number;
  soakMinutes?: number;
  databaseUrl: string;
  profile: boolean;
  pgbench: boolean;
  profileDir?: string;
  profileAt: "open" | "max";
  top: number;
  skipBuild: boolean;
  webhook: boolean;
  json?: string;
  help: boolean;
}

function profileAt(value: string | undefined): "open" | "max" {
  if (value === undefined || value === "open" || value === "max") return value ?? "open";
  throw new Error(`--profile-at is "open" or "max", not ${value}`);
}

function parseOptions(argv: string[]): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const valued = new Set([
    "duration",
    "connections",
    "create-rate",
    "verify-rate",
    "verify-pool",
    "pool-max",
    "processes",
    "soak",
    "database-url",
    "profile-dir",
    "profile-at",
    "top",
    "json",
  ]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${arg} (see --help)`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (valued.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      values.set(name, value);
    } else if (["help", "no-profile", "no-pgbench", "skip-build", "webhook"].includes(name)) {
      flags.add(name);
    } else {
      throw new Error(`unknown option --${name} (see --help)`);
    }
  }
  const num = (name: string, fallback: number) => {
    const raw = values.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, not ${raw}`);
    return value;
  };
  const duration = num("duration", 10);
  return {
    duration,
    connections: Math.round(num("connections", 20)),
    createRate: num("create-rate", TARGET_CREATE / 2),
    verifyRate: num("verify-rate", TARGET_VERIFY / 2),
    verifyPool: Math.round(num("verify-pool", 2500 * duration)),
    poolMax: values.has("pool-max") ? Math.round(num("pool-max", 10)) : undefined,
    processes: Math.round(num("processes", 1)),
    soakMinutes: values.has("soak") ? num("soak", 10) : undefined,
    databaseUrl: values.get("database-url") ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    profile: !flags.has("no-profile"),
    pgbench: !flags.has("no-pgbench"),
    profileDir: values.get("profile-dir"),
    profileAt: profileAt(values.get("profile-at")),
    top: Math.round(num("top", 20)),
    skipBuild: flags.has("skip-build"),
    webhook: flags.has("webhook"),
    json: values.get("json"),
    help: flags.has("help"),
  };
}

// ---------------------------------------------------------------- statistics

export interface PhaseResult {
  name: string;
  kind: "closed" | "open";
  /** Successful operations per second over the phase's wall time. */
  rate: number;
  ok: number;
  errors: number;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Open loop: the arrival rate asked for. */
  targetRate?: number;
  note?: string;
  errorSamples: string[];
  cpu?: CpuShares;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

class Recorder {
  private latencies = new Float64Array(1 << 16);
  private count = 0;
  ok = 0;
  errors = 0;
  errorSamples: string[] = [];

  record(ms: number, ok: boolean, error?: string) {
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.count++] = ms;
    if (ok) this.ok++;
    else {
      this.errors++;
      if (error && this.errorSamples.length < 5) this.errorSamples.push(error);
    }
  }

  result(name: string, kind: "closed" | "open", seconds: number, extra: Partial<PhaseResult> = {}): PhaseResult {
    const sorted = this.latencies.slice(0, this.count).sort();
    return {
      name,
      kind,
      rate: this.ok / seconds,
      ok: this.ok,
      errors: this.errors,
      seconds,
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: sorted.length ? sorted[sorted.length - 1]! : NaN,
      errorSamples: this.errorSamples,
      ...extra,
    };
  }
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)

interface CpuShares {
  /** Percent of one core, averaged over the phase (200 = both cores of a 2-core box). */
  server: number;
  /** Of `server`, the part spent in the kernel (syscalls: socket reads and writes, epoll). */
  serverSystem: number;
  postgres: number;
  loadgen: number;
  other: number;
  idle: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function procTicks(pid: number): number {
  const { user, system } = procTicksSplit(pid);
  return user + system;
}

function procTicksSplit(pid: number): { user: number; system: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { user: Number(fields[11]), system: Number(fields[12]) }; // utime, stime
  } catch {
    return { user: 0, system: 0 };
  }
}

/** Postgres processes working for this benchmark: our database's backends and the shared
 *  background processes (WAL writer, checkpointer...), not other databases' backends. */
function postgresTicks(databaseName: string): Map<number, number> {
  const ticks = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return ticks;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      const isBackend = /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(cmdline);
      if (isBackend && !cmdline.includes(` ${databaseName} `)) continue;
      ticks.set(pid, procTicks(pid));
    } catch {
      // gone in between
    }
  }
  return ticks;
}

function machineTicks(): { busy: number; total: number } {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

/** A process and its children (the API_PROCESSES workers of a clustered server). */
function treeTicksSplit(pid: number): { user: number; system: number } {
  const total = procTicksSplit(pid);
  for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== pid) continue; // ppid
      const child = procTicksSplit(Number(entry));
      total.user += child.user;
      total.system += child.system;
    } catch {
      // gone in between
    }
  }
  return total;
}

function cpuSnapshot(serverPid: number | undefined, databaseName: string) {
  return {
    at: performance.now(),
    server: serverPid ? treeTicksSplit(serverPid) : { user: 0, system: 0 },
    postgres: postgresTicks(databaseName),
    loadgen: process.cpuUsage(),
    machine: machineTicks(),
  };
}
type CpuSnapshot = ReturnType<typeof cpuSnapshot>;

function cpuShares(before: CpuSnapshot, after: CpuSnapshot): CpuShares {
  const seconds = (after.at - before.at) / 1000;
  const toPercent = (ticks: number) => (ticks / CLOCK_TICKS / seconds) * 100;
  let pgTicks = 0;
  for (const [pid, t] of after.postgres) pgTicks += t - (before.postgres.get(pid) ?? 0);
  const loadgenUs = after.loadgen.user - before.loadgen.user + after.loadgen.system - before.loadgen.system;
  const server = toPercent(after.server.user + after.server.system - before.server.user - before.server.system);
  const serverSystem = toPercent(after.server.system - before.server.system);
  const postgres = toPercent(pgTicks);
  const loadgen = (loadgenUs / 1e6 / seconds) * 100;
  const machineBusy = toPercent(after.machine.busy - before.machine.busy);
  const machineTotal = toPercent(after.machine.total - before.machine.total);
  return {
    server,
    serverSystem,
    postgres,
    loadgen,
    other: Math.max(0, machineBusy - server - postgres - loadgen),
    idle: Math.max(0, machineTotal - machineBusy),
  };
}

// ---------------------------------------------------------------- HTTP load generation

interface Response {
  status: number;
  text: string;
}

class HttpTarget {
  readonly agent: http.Agent;
  constructor(
    readonly port: number,
    private readonly apiKey: string,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512 });
  }

  post(pathname: string, body: string): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: this.port,
          path: pathname,
          method: "POST",
          agent: this.agent,
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${this.apiKey}`,
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
      req.on("error", reject);
      req.end(body);
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** One operation: send it, then say whether the answer is right (or why not). */
type Operation = () => Promise<string | null>;
/** Hands out the next operation, or null when there is nothing left to do. */
type OperationSource = () => Operation | null;

async function timed(op: Operation, recorder: Recorder, startedAt: number) {
  let failure: string | null;
  try {
    failure = await op();
  } catch (error) {
    failure = (error as Error).message;
  }
  recorder.record(performance.now() - startedAt, failure === null, failure ?? undefined);
}

async function closedLoop(
  name: string,
  connections: number,
  seconds: number,
  next: OperationSource,
  cpu?: () => CpuSnapshot,
): Promise<PhaseResult> {
  const recorder = new Recorder();
  const before = cpu?.();
  const start = performance.now();
  const end = start + seconds * 1000;
  let exhaustedAt: number | undefined;
  const worker = async () => {
    while (performance.now() < end) {
      const op = next();
      if (!op) {
        exhaustedAt ??= performance.now();
        return;
      }
      await timed(op, recorder, performance.now());
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - start) / 1000;
  const after = cpu?.();
  const note =
    exhaustedAt !== undefined ? `ran out of prepared credentials after ${((exhaustedAt - start) / 1000).toFixed(1)} s` : undefined;
  return recorder.result(name, "closed", elapsed, { note, cpu: before && after ? cpuShares(before, after) : undefined });
}

/** Fixed arrival rate. Latency counts from each request's scheduled start, so a slow
 *  server shows up as latency rather than as fewer requests sent. */
async function openLoop(name: string, rate: number, seconds: number, next: OperationSource, cpu?: () => CpuSnapshot): Promise<PhaseResult> {
  const recorder = new Recorder();
  const total = Math.round(rate * seconds);
  const before = cpu?.();
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let exhausted = false;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
      while (sent < due) {
        const op = next();
        if (!op) {
          exhausted = true;
          break;
        }
        const scheduledAt = start + (sent * 1000) / rate;
        sent++;
        const p = timed(op, recorder, scheduledAt).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (sent >= total || exhausted) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
  });
  const sendingSeconds = (performance.now() - start) / 1000;
  await Promise.all(inFlight);
  const after = cpu?.();
  // Completions per second until the last answer: a server that keeps up shows the
  // arrival rate here, one that falls behind shows less (and its latency grows).
  const totalSeconds = (performance.now() - start) / 1000;
  const lagging = totalSeconds > sendingSeconds + 1;
  return recorder.result(name, "open", totalSeconds, {
    targetRate: rate,
    note: exhausted
      ? `ran out of prepared credentials after ${sent} requests`
      : lagging
        ? `fell behind: the last answer came ${(totalSeconds - sendingSeconds).toFixed(1)} s after the last request was sent`
        : undefined,
    cpu: before && after ? cpuShares(before, after) : undefined,
  });
}

// ---------------------------------------------------------------- the operations

interface Credential {
  paymentHash: string;
  macaroon: string;
  preimage?: string;
}

const CREATE_BODY = JSON.stringify({ endpoint: "GET /premium" });

function createOperation(target: HttpTarget, issued: Credential[]): Operation {
  return async () => {
    const res = await target.post("/api/v1/invoices", CREATE_BODY);
    if (res.status !== 201) return `create: HTTP ${res.status} ${res.text.slice(0, 200)}`;
    const body = JSON.parse(res.text) as { paymentHash?: string; invoice?: string; macaroon?: string };
    if (!body.paymentHash || !/^[0-9a-f]{64}$/.test(body.paymentHash) || !body.invoice?.startsWith("lntb") || !body.macaroon) {
      return `create: 201 without paymentHash/invoice/macaroon: ${res.text.slice(0, 200)}`;
    }
    issued.push({ paymentHash: body.paymentHash, macaroon: body.macaroon });
    return null;
  };
}

function verifyOperation(target: HttpTarget, credential: Credential): Operation {
  const body = JSON.stringify({ authorization: `L402 ${credential.macaroon}:${credential.preimage}`, method: "GET", path: "/premium" });
  return async () => {
    const res = await target.post("/api/v1/l402/verify", body);
    if (res.status !== 200) return `verify: HTTP ${res.status} ${res.text.slice(0, 200)}`;
    const parsed = JSON.parse(res.text) as { valid?: boolean };
    return parsed.valid === true ? null : `verify: 200 without valid:true: ${res.text.slice(0, 200)}`;
  };
}

const endless =
  (make: () => Operation): OperationSource =>
  () =>
    make();

function fromList(credentials: Credential[], target: HttpTarget): OperationSource {
  let i = 0;
  return () => (i < credentials.length ? verifyOperation(target, credentials[i++]!) : null);
}

/** "Pays" invoices as the simulated node would: marks them settled and reads the preimage. */
async function pay(client: pg.Client, credentials: Credential[]): Promise<Credential[]> {
  const paid: Credential[] = [];
  for (let i = 0; i < credentials.length; i += 5000) {
    const chunk = credentials.slice(i, i + 5000);
    const { rows } = await client.query<{ payment_hash: string; preimage: string }>(
      `UPDATE simulated_invoices SET settled_at = (now() AT TIME ZONE 'UTC')
       WHERE payment_hash = ANY($1::text[]) RETURNING payment_hash, preimage`,
      [chunk.map((c) => c.paymentHash)],
    );
    const preimages = new Map(rows.map((r) => [r.payment_hash, r.preimage]));
    for (const c of chunk) {
      const preimage = preimages.get(c.paymentHash);
      if (preimage) paid.push({ ...c, preimage });
    }
  }
  if (paid.length !== credentials.length)
    throw new Error(`only ${paid.length} of ${credentials.length} invoices found in simulated_invoices`);
  return paid;
}

// ---------------------------------------------------------------- processes and database

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface ServerChild {
  child: ChildProcess;
  port: number;
  /** Soak only: where the child writes its memory after a full GC, on SIGUSR2. */
  heapFile?: string;
  stop(): Promise<void>;
}

async function startServerChild(databaseUrl: string, options: Options, cpuProfDir?: string): Promise<ServerChild> {
  const port = await freePort();
  const nodeArgs = ["--import", pathToFileURL(path.join(ROOT, "bench/invoice-service/exit-on-signal.mjs")).href];
  if (cpuProfDir) nodeArgs.push("--cpu-prof", "--cpu-prof-dir", cpuProfDir);
  // The soak asks for the heap after a full GC each minute (exit-on-signal.mjs).
  const heapFile = options.soakMinutes ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tollbooth-soak-")), "heap.json") : undefined;
  if (heapFile) nodeArgs.push("--expose-gc");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    API_RATE_LIMIT_PER_SECOND: "1000000",
    MIGRATE_ON_START: "0",
    API_PROCESSES: cpuProfDir ? "1" : String(options.processes),
    ...(heapFile ? { TOLLBOOTH_BENCH_HEAP_FILE: heapFile } : {}),
  };
  if (options.poolMax) env.DATABASE_POOL_MAX = String(options.poolMax);
  const child = spawn(process.execPath, [...nodeArgs, "dist/server.js", "--api-only"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) {
        clearTimeout(timeout);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timeout);
      reject(new Error(`server exited (code ${code}) before listening:\n${output}`));
    });
  });
  // Keep draining its output (a full pipe would block it), and show errors it logs.
  child.stdout!.removeAllListeners("data");
  child.stdout!.on("data", () => {});
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = chunk.toString().trim();
    if (text) console.error(`  [server] ${text.slice(0, 4000)}`);
  });
  return {
    child,
    port,
    heapFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function scratchDatabaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------- output

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "-";

function resultsTable(results: PhaseResult[], baseline: PhaseResult): string {
  const header = ["phase", "ops/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "ok", "errors", "÷ baseline"];
  const rows = results.map((r) => [
    r.kind === "open" ? `${r.name} (${fmt(r.targetRate!)}/s offered)` : r.name,
    fmt(r.rate),
    fmt(r.p50, 2),
    fmt(r.p90, 2),
    fmt(r.p99, 2),
    fmt(r.max, 1),
    fmt(r.ok),
    fmt(r.errors),
    r === baseline ? "1.00" : (r.rate / baseline.rate).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function cpuTable(results: PhaseResult[]): string {
  const lines = [
    "CPU by process, % of one core averaged over the phase (the machine has " +
      os.cpus().length +
      " cores = " +
      os.cpus().length * 100 +
      "%):",
  ];
  lines.push(
    `  ${"phase".padEnd(34)} ${"server".padStart(7)} ${"(kernel)".padStart(9)} ${"postgres".padStart(9)} ${"loadgen".padStart(8)} ${"other".padStart(6)} ${"idle".padStart(6)}   CPU ms per op: server  postgres`,
  );
  for (const r of results) {
    if (!r.cpu) continue;
    const c = r.cpu;
    const perOp = (percent: number) => (r.ok ? fmt(((percent / 100) * r.seconds * 1000) / r.ok, 3) : "-");
    lines.push(
      `  ${r.name.padEnd(34)} ${fmt(c.server).padStart(6)}% ${`(${fmt(c.serverSystem)}%)`.padStart(9)} ${fmt(c.postgres).padStart(8)}% ${fmt(c.loadgen).padStart(7)}% ${fmt(c.other).padStart(5)}% ${fmt(c.idle).padStart(5)}%   ${" ".repeat(15)}${perOp(c.server).padStart(6)}  ${perOp(c.postgres).padStart(8)}`,
    );
  }
  lines.push(
    "  (server (kernel) = the server's system time, part of its total; postgres = this database's backends + WAL writer, checkpointer etc.;",
  );
  lines.push("   other = other processes, kernel softirq (loopback TCP) and steal)");
  return lines.join("\n");
}

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

function describePhase(r: PhaseResult): string {
  const base = `${fmt(r.rate)} ok/s, p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, ${fmt(r.errors)} errors`;
  const cpu = r.cpu
    ? ` | cpu server ${fmt(r.cpu.server)}%, postgres ${fmt(r.cpu.postgres)}%, loadgen ${fmt(r.cpu.loadgen)}%, other ${fmt(r.cpu.other)}%`
    : "";
  return `${r.name}: ${base}${r.note ? ` (${r.note})` : ""}${cpu}`;
}

// ---------------------------------------------------------------- main

async function main() {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }

  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    while (cleanups.length) {
      const step = cleanups.pop()!;
      await step().catch((error: unknown) => console.error(`cleanup: ${(error as Error).message}`));
    }
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    console.error("\ninterrupted: cleaning up");
    void cleanup().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    await run(options, cleanups);
  } finally {
    await cleanup();
  }
}

async function run(options: Options, cleanups: (() => Promise<void>)[]) {
  const { duration, connections } = options;
  const startedAt = new Date();

  if (!options.skipBuild) {
    log("building dist/server.js (node scripts/build-server.mjs)");
    execFileSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  }

  // The scratch database.
  const dbName = `tb_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const url = scratchDatabaseUrl(options.databaseUrl, dbName);
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  await admin.connect();
  const pgVersion = (await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  const pgSettings = Object.fromEntries(
    (
      await admin.query<{ name: string; setting: string; unit: string | null }>(
        "SELECT name, setting, unit FROM pg_settings WHERE name IN ('max_connections','shared_buffers','synchronous_commit','fsync','wal_level','commit_delay')",
      )
    ).rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]),
  );
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await client.end();
    log(`dropped database ${dbName}`);
  });
  log(`created database ${dbName}`);

  // The app's modules read their settings at import time: load them only now.
  const { applyMigrations } = await import("../../lib/db/migrate");
  const { createDb } = await import("../../lib/db/client");
  const { createAccount } = await import("../../lib/tenants/accounts");
  const { createApiKey } = await import("../../lib/keys/api-keys");
  const { createEndpoint } = await import("../../lib/endpoints/registry");

  await applyMigrations(url);
  const db = createDb(url, 2);
  cleanups.push(() => db.$disconnect());
  const { tenant } = await createAccount(db, {
    email: `bench-${randomBytes(4).toString("hex")}@example.com`,
    password: "benchmark password 1",
    tenantName: "Bench API",
  });
  const { key } = await createApiKey(db, tenant.id, { name: "bench", mode: "test" });
  await createEndpoint(db, tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
  log("migrated and seeded: a tenant, a tb_test_ key, GET /premium at 10 sats (single use)");
  if (options.webhook) {
    const { createWebhookEndpoint } = await import("../../lib/webhooks/endpoints");
    await createWebhookEndpoint(
      db,
      { tenantId: tenant.id, mode: "test" },
      { url: "https://hooks.example.com/bench", events: ["payment.settled"] },
    );
    log("seeded a webhook endpoint subscribed to payment.settled");
  }

  const direct = new pg.Client({ connectionString: url });
  await direct.connect();
  cleanups.push(() => direct.end());
  const cpuFor = (pid: number | undefined) => () => cpuSnapshot(pid, dbName);

  // (a) Baseline: single-row INSERTs through pg, N connections, closed loop.
  await direct.query(
    "CREATE TABLE bench_baseline (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())",
  );
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const payload = randomBytes(48).toString("hex");
  const insert: Operation = async () => {
    const client = clients.pop()!;
    try {
      const res = await client.query("INSERT INTO bench_baseline (payload) VALUES ($1)", [payload]);
      return res.rowCount === 1 ? null : `baseline: inserted ${res.rowCount} rows`;
    } finally {
      clients.push(client);
    }
  };
  log(`baseline: ${connections} pg connections doing single-row INSERTs for ${duration} s`);
  await closedLoop(
    "warm-up",
    connections,
    1,
    endless(() => insert),
  );
  const baseline = await closedLoop(
    `baseline INSERT (pg, ${connections} conn)`,
    connections,
    duration,
    endless(() => insert),
    cpuFor(undefined),
  );
  log(describePhase(baseline));
  await Promise.all(clients.map((c) => c.end()));

  // (a') The issue's baseline: pgbench's own single-row INSERTs, same table, same run.
  const pgbench: PgbenchResult[] = [];
  const pgbenchBin = options.pgbench && !options.soakMinutes ? findPgbench() : undefined;
  if (options.pgbench && !options.soakMinutes && !pgbenchBin) log("pgbench not found: its baselines are left out");
  if (pgbenchBin) {
    for (const count of [...new Set([1, connections])]) {
      const result = runPgbench(pgbenchBin, url, "bench_baseline", count, duration);
      log(`pgbench, ${count} client${count === 1 ? "" : "s"}: ${fmt(result.tps)} INSERTs/s, latency average ${result.latencyAverageMs} ms`);
      pgbench.push(result);
    }
  }

  // (b)-(d) Through the API server in a child process.
  log("starting the API server child: node dist/server.js --api-only");
  const server = await startServerChild(url, options);
  cleanups.push(() => server.stop());
  const target = new HttpTarget(server.port, key);
  cleanups.push(async () => target.close());
  const cpu = cpuFor(server.child.pid);

  if (options.soakMinutes) return soak(options, target, direct, server, cpu);

  const issued: Credential[] = [];
  const create = endless(() => createOperation(target, issued));
  log("warm-up: 2 s of creations");
  const warm = await closedLoop("warm-up", connections, 2, create);
  if (warm.errors) throw new Error(`warm-up failed: ${warm.errorSamples.join("; ")}`);

  log(`create-max: ${connections} connections for ${duration} s`);
  const createMax = await closedLoop(`create-max (${connections} conn)`, connections, duration, create, cpu);
  log(describePhase(createMax));

  // Credentials for verify-max: what was issued so far, topped up, then paid.
  if (issued.length < options.verifyPool + 300) {
    const missing = options.verifyPool + 300 - issued.length;
    log(`preparing ${fmt(missing)} more invoices for the verification phase`);
    let left = missing;
    const prep = await closedLoop("prepare", connections, 3600, () => (left-- > 0 ? createOperation(target, issued) : null));
    if (prep.errors) throw new Error(`preparing invoices failed: ${prep.errorSamples.join("; ")}`);
  }
  const toPay = issued.splice(0, issued.length);
  const paid = await pay(direct, toPay);
  log(`paid ${fmt(paid.length)} invoices (preimages read from simulated_invoices)`);

  const warmVerify = await closedLoop("warm-up", Math.min(connections, 10), 30, fromList(paid.splice(0, 300), target));
  if (warmVerify.errors) throw new Error(`verification warm-up failed: ${warmVerify.errorSamples.join("; ")}`);
  log(`verify-max: ${connections} connections for ${duration} s, each credential once`);
  const verifyMax = await closedLoop(`verify-max (${connections} conn)`, connections, duration, fromList(paid, target), cpu);
  log(describePhase(verifyMax));

  log(`create-open: ${fmt(options.createRate)} creations/s for ${duration} s`);
  const openIssued: Credential[] = [];
  const createOpen = await openLoop(
    "create-open",
    options.createRate,
    duration,
    endless(() => createOperation(target, openIssued)),
    cpu,
  );
  log(describePhase(createOpen));

  const openPaid = await pay(direct, openIssued);
  let openPool = openPaid;
  const neededOpen = Math.round(options.verifyRate * duration);
  if (openPool.length < neededOpen) {
    log(`preparing ${fmt(neededOpen - openPool.length)} more invoices for verify-open`);
    const more: Credential[] = [];
    let left = neededOpen - openPool.length;
    await closedLoop("prepare", connections, 3600, () => (left-- > 0 ? createOperation(target, more) : null));
    openPool = openPool.concat(await pay(direct, more));
  }
  log(`verify-open: ${fmt(options.verifyRate)} verifications/s for ${duration} s`);
  const verifyOpen = await openLoop("verify-open", options.verifyRate, duration, fromList(openPool, target), cpu);
  log(describePhase(verifyOpen));
  await server.stop();

  // Profiles: one server child under creation load, one under verification load.
  const profiles: { phase: string; result: PhaseResult; summary: ProfileSummary }[] = [];
  let profileDir: string | undefined;
  if (options.profile) {
    profileDir = options.profileDir ? path.resolve(options.profileDir) : fs.mkdtempSync(path.join(os.tmpdir(), "tollbooth-bench-profile-"));
    fs.mkdirSync(profileDir, { recursive: true });
    const profiled = async (phase: string, body: (t: HttpTarget, mark: { start(): void; end(): void }) => Promise<PhaseResult>) => {
      const dir = path.join(profileDir!, phase);
      fs.mkdirSync(dir, { recursive: true });
      const child = await startServerChild(url, options, dir);
      cleanups.push(() => child.stop());
      const t = new HttpTarget(child.port, key);
      // V8's profile clock and process.hrtime are both CLOCK_MONOTONIC: the measured
      // phase's window picks out its samples (start-up and warm-up are left out).
      const nowUs = () => Number(process.hrtime.bigint() / 1000n);
      const window = { fromUs: 0, toUs: 0 };
      const result = await body(t, { start: () => (window.fromUs = nowUs()), end: () => (window.toUs = nowUs()) });
      t.close();
      await child.stop();
      const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
      if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
      const summary = summarizeProfile(path.join(dir, file), window.toUs ? window : undefined);
      profiles.push({ phase, result, summary });
      log(`${phase} (profiled): ${describePhase(result)}`);
    };

    const atMax = options.profileAt === "max";
    log(`profiling a creation load (--cpu-prof, ${atMax ? `${connections} connections` : `${fmt(options.createRate)}/s`}), ${duration} s`);
    const profIssued: Credential[] = [];
    await profiled("create", async (t, mark) => {
      const source = endless(() => createOperation(t, profIssued));
      await closedLoop("warm-up", connections, 2, source);
      mark.start();
      const r = atMax
        ? await closedLoop(`create-max (${connections} conn, profiled)`, connections, duration, source)
        : await openLoop(`create-open (profiled)`, options.createRate, duration, source);
      mark.end();
      return r;
    });
    const profPaid = await pay(direct, profIssued);
    log(
      `profiling a verification load (--cpu-prof, ${atMax ? `${connections} connections` : `${fmt(options.verifyRate)}/s`}), up to ${duration} s on ${fmt(profPaid.length - 300)} credentials`,
    );
    await profiled("verify", async (t, mark) => {
      await closedLoop("warm-up", Math.min(connections, 10), 30, fromList(profPaid.splice(0, 300), t));
      mark.start();
      const r = atMax
        ? await closedLoop(`verify-max (${connections} conn, profiled)`, connections, duration, fromList(profPaid, t))
        : await openLoop(`verify-open (profiled)`, options.verifyRate, duration, fromList(profPaid, t));
      mark.end();
      return r;
    });
  }

  // ------------------------------------------------------------ report
  const results = [baseline, createMax, verifyMax, createOpen, verifyOpen];
  const cpuModel = os.cpus()[0]?.model ?? "unknown CPU";
  console.log("");
  console.log("=".repeat(100));
  console.log(`Tollbooth invoice-service benchmark, ${startedAt.toISOString()}`);
  console.log(
    `machine: ${os.cpus().length} × ${cpuModel}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}, PostgreSQL ${pgVersion} (${Object.entries(
      pgSettings,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")})`,
  );
  console.log(
    `load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`command: npx tsx bench/invoice-service/run.ts ${process.argv.slice(2).join(" ")}`.trim());
  console.log(
    `phases of ${duration} s; closed loop: ${connections} keep-alive connections; API_PROCESSES=${options.processes}; server pool DATABASE_POOL_MAX=${options.poolMax ?? process.env.DATABASE_POOL_MAX ?? "10 (default)"}`,
  );
  console.log("");
  console.log(resultsTable(results, baseline));
  for (const r of results) if (r.note) console.log(`  note: ${r.name}: ${r.note}`);
  const disturbed = results.filter((r) => r.cpu && r.cpu.other > 20);
  for (const r of disturbed) {
    console.log(
      `  note: ${r.name}: other processes took ${fmt(r.cpu!.other)}% of a core during this phase: the machine was shared, its numbers understate the service`,
    );
  }
  console.log("");
  console.log(cpuTable(results));
  console.log("");
  if (pgbench.length) {
    console.log("pgbench (PostgreSQL's own client), single-row INSERTs into the same table, same run:");
    for (const p of pgbench) {
      const ratio = (r: PhaseResult) => (r.rate / p.tps).toFixed(2);
      console.log(
        `  ${`${p.clients} client${p.clients === 1 ? " (pgbench's default)" : "s"}`.padEnd(28)} ${fmt(p.tps).padStart(7)} INSERTs/s   create-max ${ratio(createMax)}×   verify-max ${ratio(verifyMax)}×`,
      );
    }
    console.log("");
  }

  const checks = [
    { what: `creations ≥ ${fmt(TARGET_CREATE)}/s`, ok: createMax.rate >= TARGET_CREATE, measured: `${fmt(createMax.rate)}/s` },
    { what: `verifications ≥ ${fmt(TARGET_VERIFY)}/s`, ok: verifyMax.rate >= TARGET_VERIFY, measured: `${fmt(verifyMax.rate)}/s` },
    {
      what: `creation p99 < ${TARGET_P99_MS} ms at ${fmt(options.createRate)}/s`,
      ok: createOpen.p99 < TARGET_P99_MS && createOpen.errors === 0,
      measured: `p99 ${fmt(createOpen.p99, 2)} ms`,
    },
    {
      what: `verification p99 < ${TARGET_P99_MS} ms at ${fmt(options.verifyRate)}/s`,
      ok: verifyOpen.p99 < TARGET_P99_MS && verifyOpen.errors === 0,
      measured: `p99 ${fmt(verifyOpen.p99, 2)} ms`,
    },
  ];
  for (const p of pgbench) {
    const clients = `pgbench, ${p.clients} client${p.clients === 1 ? "" : "s"}`;
    checks.push(
      {
        what: `creations ≥ ${TARGET_CREATE_RATIO}× ${clients}`,
        ok: createMax.rate >= TARGET_CREATE_RATIO * p.tps,
        measured: `${(createMax.rate / p.tps).toFixed(3)}×`,
      },
      {
        what: `verifications ≥ ${TARGET_VERIFY_RATIO}× ${clients}`,
        ok: verifyMax.rate >= TARGET_VERIFY_RATIO * p.tps,
        measured: `${(verifyMax.rate / p.tps).toFixed(3)}×`,
      },
    );
  }
  console.log("targets:");
  for (const c of checks) console.log(`  ${c.ok ? "MET   " : "MISSED"}  ${c.what.padEnd(48)} ${c.measured}`);
  const totalErrors = results.reduce((sum, r) => sum + r.errors, 0) + profiles.reduce((sum, p) => sum + p.result.errors, 0);
  console.log("");
  if (totalErrors > 0) {
    console.log(`THIS RUN HAD ${fmt(totalErrors)} ERRORS; its numbers do not count. First ones:`);
    for (const r of [...results, ...profiles.map((p) => p.result)]) for (const e of r.errorSamples) console.log(`  ${r.name}: ${e}`);
  } else {
    console.log("errors: none (every response checked: 201 with paymentHash/invoice/macaroon, 200 with valid:true)");
  }

  for (const p of profiles) {
    console.log("");
    console.log(`--- profile: ${p.phase} (server child under ${p.result.name}: ${fmt(p.result.rate)} ok/s) ---`);
    console.log(formatSummary(p.summary, options.top));
  }
  if (profileDir) console.log(`\n.cpuprofile files (open in Chrome DevTools): ${profileDir}`);

  if (options.json) {
    const out = {
      startedAt: startedAt.toISOString(),
      command: `npx tsx bench/invoice-service/run.ts ${process.argv.slice(2).join(" ")}`.trim(),
      machine: {
        cpus: os.cpus().length,
        model: cpuModel,
        memGiB: os.totalmem() / 2 ** 30,
        node: process.version,
        postgres: pgVersion,
        pgSettings,
      },
      options,
      results,
      ratios: Object.fromEntries(results.map((r) => [r.name, r.rate / baseline.rate])),
      pgbench,
      targets: checks,
      totalErrors,
      disturbedPhases: disturbed.map((r) => r.name),
      profiles: profiles.map((p) => ({
        phase: p.phase,
        result: p.result,
        windowMs: p.summary.windowMs,
        busyMs: p.summary.busyMs,
        categories: p.summary.categories,
        top: p.summary.functions.slice(0, 40),
      })),
    };
    fs.writeFileSync(options.json, `${JSON.stringify(out, null, 2)}\n`);
    log(`wrote ${options.json}`);
  }
  if (totalErrors > 0) process.exitCode = 1;
}

/** The server's resident memory (all its processes), MiB. */
function serverRssMiB(pid: number): number {
  const rss = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
  let kib = 0;
  for (const entry of [String(pid), ...fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))]) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (entry === String(pid) || ppid === pid) kib += rss(Number(entry));
    } catch {
      // gone in between
    }
  }
  return kib / 1024;
}

/** --soak: minute after minute at the open-loop rates (half the targets): half a minute of
 *  creations, then half a minute verifying what was paid. Flat memory, a stable p99 and no
 *  error are the pass marks; the table says each minute's numbers. */
/** The server's heap and RSS right after a full GC (exit-on-signal.mjs answers SIGUSR2). */
async function heapAfterGc(server: ServerChild): Promise<{ heapUsedMiB: number; rssMiB: number }> {
  const before = fs.existsSync(server.heapFile!) ? fs.statSync(server.heapFile!).mtimeMs : 0;
  const askedAt = Date.now();
  server.child.kill("SIGUSR2");
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (fs.existsSync(server.heapFile!) && fs.statSync(server.heapFile!).mtimeMs !== before) {
      const memory = JSON.parse(fs.readFileSync(server.heapFile!, "utf8")) as { heapUsed: number; rss: number; gc: boolean };
      if (!memory.gc) throw new Error("the server child has no gc(): --expose-gc did not reach it");
      return { heapUsedMiB: memory.heapUsed / 2 ** 20, rssMiB: memory.rss / 2 ** 20 };
    }
    if (Date.now() - askedAt > 10_000) throw new Error("the server child did not report its heap within 10 s");
  }
}

async function soak(options: Options, target: HttpTarget, direct: pg.Client, server: ServerChild, cpu: () => CpuSnapshot) {
  if (options.processes !== 1) throw new Error("--soak measures one server process: leave --processes at 1");
  const serverPid = server.child.pid!;
  const minutes = Math.round(options.soakMinutes!);
  log(`soak: ${minutes} min, ${fmt(options.createRate)} creations/s and ${fmt(options.verifyRate)} verifications/s, half a minute each`);
  const rows: {
    minute: number;
    createP99: number;
    verifyP99: number;
    errors: number;
    rssMiB: number;
    heapAfterGcMiB: number;
    rssAfterGcMiB: number;
    ok: number;
  }[] = [];
  // Paid credentials not yet verified: each is verified once, the oldest first.
  const pool: Credential[] = [];
  const verifyNext: OperationSource = () => {
    const credential = pool.shift();
    return credential ? verifyOperation(target, credential) : null;
  };
  // Warm-up (JIT, prepared statements), not counted.
  await openLoop(
    "soak warm-up",
    options.createRate,
    5,
    endless(() => createOperation(target, [])),
  );
  for (let minute = 1; minute <= minutes; minute++) {
    const issued: Credential[] = [];
    const created = await openLoop(
      `soak ${minute} create`,
      options.createRate,
      30,
      endless(() => createOperation(target, issued)),
      cpu,
    );
    pool.push(...(await pay(direct, issued)));
    const verified = await openLoop(`soak ${minute} verify`, options.verifyRate, 30, verifyNext, cpu);
    const rssMiB = serverRssMiB(serverPid);
    const afterGc = await heapAfterGc(server);
    rows.push({
      minute,
      createP99: created.p99,
      verifyP99: verified.p99,
      errors: created.errors + verified.errors,
      rssMiB,
      heapAfterGcMiB: afterGc.heapUsedMiB,
      rssAfterGcMiB: afterGc.rssMiB,
      ok: created.ok + verified.ok,
    });
    for (const sample of [...created.errorSamples, ...verified.errorSamples].slice(0, 3)) log(`  error: ${sample}`);
    const row = rows.at(-1)!;
    log(
      `minute ${minute}: ${fmt(row.ok)} ok, ${row.errors} errors, p99 ${fmt(row.createP99, 1)} / ${fmt(row.verifyP99, 1)} ms, server RSS ${fmt(row.rssMiB, 0)} MiB, heap after GC ${fmt(row.heapAfterGcMiB, 1)} MiB`,
    );
  }
  console.log(
    `\nsoak, ${minutes} min at ${fmt(options.createRate)} creations/s + ${fmt(options.verifyRate)} verifications/s (API_PROCESSES=${options.processes})`,
  );
  console.log("| minute | ok | errors | create p99 ms | verify p99 ms | server RSS MiB | heap after GC MiB | RSS after GC MiB |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows)
    console.log(
      `| ${r.minute} | ${fmt(r.ok)} | ${r.errors} | ${fmt(r.createP99, 1)} | ${fmt(r.verifyP99, 1)} | ${fmt(r.rssMiB, 0)} | ${fmt(r.heapAfterGcMiB, 1)} | ${fmt(r.rssAfterGcMiB, 0)} |`,
    );
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  const signed = (n: number, digits: number) => `${n >= 0 ? "+" : ""}${fmt(n, digits)}`;
  const from = rows[Math.min(1, rows.length - 1)]!;
  const last = rows.at(-1)!;
  // A leak shows as the heap after GC rising minute after minute: the least-squares slope.
  const xs = rows.slice(1).map((r) => r.minute);
  const ys = rows.slice(1).map((r) => r.heapAfterGcMiB);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const slope =
    xs.length > 1
      ? xs.reduce((sum, x, i) => sum + (x - mean(xs)) * (ys[i]! - mean(ys)), 0) / xs.reduce((sum, x) => sum + (x - mean(xs)) ** 2, 0)
      : 0;
  console.log(
    `\nerrors: ${errors}; from minute ${from.minute} to ${last.minute}: heap after GC ${signed(last.heapAfterGcMiB - from.heapAfterGcMiB, 1)} MiB (slope ${signed(slope, 2)} MiB/min), RSS ${signed(last.rssMiB - from.rssMiB, 0)} MiB`,
  );
  if (errors > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
