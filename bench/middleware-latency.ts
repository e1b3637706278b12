/**
 * What does @tollbooth/l402 add to a paid call, on top of the one verify call it has to make?
 *
 * Three processes on loopback, so no process's event loop flatters another:
 *   service  a fake Tollbooth service (packages/l402/test/fake-service.ts) that answers
 *            verify at once, or after --delay ms, and lets one token be used without limit
 *   app      node:http with the Express/Connect adapter: GET /protected behind l402(),
 *            GET /bare without it (same tiny JSON handler)
 *   main     the client; it also runs withL402 (the fetch adapter) in-process
 *
 * Measured sequentially (one call at a time, keep-alive connections, interleaved so drift
 * hits every series alike):
 *   verify      POST /api/v1/l402/verify straight to the service: the floor
 *   fetch       withL402 handler called in-process with a paid Request
 *   protected   GET /protected on the app over HTTP (Express adapter)
 *   bare        GET /bare on the app over HTTP (no middleware)
 * Added latency = series − verify, call by call within a round; for the HTTP adapter, also
 * − bare (the hop to the app). Reported as percentiles of those paired differences.
 *
 * Run: npx tsx bench/middleware-latency.ts [--requests 2000] [--warmup 300] [--delay 0] [--json]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { l402, withL402 } from "../packages/l402/src/index";
import { FAKE_API_KEY, FakeService } from "../packages/l402/test/fake-service";

const USAGE = `Usage: npx tsx bench/middleware-latency.ts [options]

Measures the latency @tollbooth/l402 adds to a paid call over loopback, against a fake
Tollbooth service, compared with calling verify directly.

Options:
  --requests N   measured calls per series (default 2000)
  --warmup N     unmeasured calls per series first (default 300)
  --delay MS     the fake service waits MS before answering verify (default 0)
  --json         print the results as JSON
  -h, --help     this text
`;

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    warmup: { type: "string", default: "300" },
    delay: { type: "string", default: "0" },
    json: { type: "boolean", default: false },
    role: { type: "string" },
    service: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});

function announce(url: string) {
  process.stdout.write(`READY ${url}\n`);
  // Children live as long as the parent: its end of our stdin closes when it exits, even on Ctrl-C.
  process.stdin.on("end", () => process.exit(0)).resume();
}

async function runService() {
  // A token that never runs out, so one payment serves every measured call.
  const service = await new FakeService({ verifyDelayMs: Number(values.delay), usesPerPayment: Number.MAX_SAFE_INTEGER }).start();
  announce(service.url);
}

async function runApp() {
  const protect = l402({ apiKey: FAKE_API_KEY, baseUrl: values.service!, priceSats: 10, endpoint: "GET /premium" });
  const answer = (res: import("node:http").ServerResponse) => {
    res.setHeader("content-type", "application/json");
    res.end('{"data":"premium"}');
  };
  const server = createServer((req, res) => {
    if (req.url === "/bare") return answer(res);
    if (req.url === "/protected") return protect(req, res, () => answer(res));
    res.statusCode = 404;
    res.end();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

/** Starts this file again in another process with a role; resolves with the URL it announces. */
function startChild(role: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), "--role", role, "--delay", String(values.delay), ...extra],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\S+)/.exec(output);
      if (ready) resolve({ child, url: ready[1]! });
    });
    child.once("exit", (code) => reject(new Error(`${role} process exited with ${code}`)));
  });
}

interface Stats {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length) };
}

async function timed(call: () => Promise<Response>, expectStatus: number): Promise<number> {
  const started = performance.now();
  const response = await call();
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== expectStatus) throw new Error(`expected ${expectStatus}, got ${response.status}`);
  return elapsed;
}

async function runMain() {
  const requests = Number(values.requests);
  const warmup = Number(values.warmup);
  const service = await startChild("service");
  const app = await startChild("app", ["--service", service.url]);
  try {
    // Buy one (unlimited) token through the app, as a payer would.
    const unpaid = await fetch(`${app.url}/protected`);
    const offer = (await unpaid.json()) as { macaroon: string; invoice: string; paymentHash: string };
    // The fake service runs in another process: its wallet is not reachable from here, so
    // ask it through a verify-free path: the preimage is what the fake's /pay would give.
    const preimage = await fakePay(service.url, offer.invoice);
    const authorization = `L402 ${offer.macaroon}:${preimage}`;

    const fetchHandler = withL402(async () => Response.json({ data: "premium" }), {
      apiKey: FAKE_API_KEY,
      baseUrl: service.url,
      priceSats: 10,
      endpoint: "GET /premium",
    });
    const series = {
      verify: () =>
        timed(
          () =>
            fetch(`${service.url}/api/v1/l402/verify`, {
              method: "POST",
              headers: { authorization: `Bearer ${FAKE_API_KEY}`, "content-type": "application/json", accept: "application/json" },
              body: JSON.stringify({ authorization, method: "GET", path: "/protected" }),
            }),
          200,
        ),
      fetch: () => timed(() => fetchHandler(new Request("http://bench.local/protected", { headers: { authorization } })), 200),
      protected: () => timed(() => fetch(`${app.url}/protected`, { headers: { authorization } }), 200),
      bare: () => timed(() => fetch(`${app.url}/bare`), 200),
    };
    const names = Object.keys(series) as (keyof typeof series)[];
    const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof typeof series, number[]>;
    for (let i = 0; i < warmup + requests; i++) {
      // Rotate the order each round so no series always runs right after another.
      for (let j = 0; j < names.length; j++) {
        const name = names[(i + j) % names.length]!;
        const ms = await series[name]();
        if (i >= warmup) samples[name].push(ms);
      }
    }
    const result = Object.fromEntries(names.map((name) => [name, stats(samples[name])])) as Record<keyof typeof series, Stats>;
    // Per round, the series ran back to back: the distribution of the paired differences is
    // the added latency (a difference of percentiles would mix unrelated calls).
    const paired = (a: number[], ...minus: number[][]) => stats(a.map((ms, i) => minus.reduce((left, b) => left - b[i]!, ms)));
    const added = {
      fetchAdapter: paired(samples.fetch, samples.verify),
      expressOverHttp: paired(samples.protected, samples.verify),
      expressOverHttpMinusHop: paired(samples.protected, samples.verify, samples.bare),
    };
    const report = {
      node: process.version,
      requests,
      warmup,
      verifyDelayMs: Number(values.delay),
      latencyMs: result,
      addedMs: added,
      targetP50AddedMs: 3,
    };
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    const row = (label: string, s: Stats) =>
      `${label.padEnd(44)} ${[s.p50, s.p90, s.p99, s.mean].map((v) => v.toFixed(3).padStart(8)).join(" ")}`;
    console.log(
      `@tollbooth/l402 latency, ${requests} sequential calls per series after ${warmup} warm-up, verify delay ${values.delay} ms, Node ${process.version}`,
    );
    console.log(`${"".padEnd(44)} ${["p50", "p90", "p99", "mean"].map((h) => h.padStart(8)).join(" ")}  (ms)`);
    console.log(row("verify, called directly", result.verify));
    console.log(row("withL402 (fetch adapter, in-process)", result.fetch));
    console.log(row("l402() Express adapter, over HTTP", result.protected));
    console.log(row("unprotected handler, over HTTP", result.bare));
    console.log("added on top of the verify call (percentiles of the per-round differences):");
    console.log(row("  withL402 − verify", added.fetchAdapter));
    console.log(row("  Express over HTTP − verify", added.expressOverHttp));
    console.log(row("  Express over HTTP − verify − unprotected", added.expressOverHttpMinusHop));
    const worst = Math.max(added.fetchAdapter.p50, added.expressOverHttp.p50);
    console.log(`target: p50 added < 3 ms: ${worst < 3 ? "met" : "NOT met"} (worst p50 added ${worst.toFixed(3)} ms)`);
  } finally {
    service.child.kill();
    app.child.kill();
  }
}

/** The fake service's wallet lives in its process; reach it by minting through a side door. */
async function fakePay(serviceUrl: string, invoice: string): Promise<string> {
  const response = await fetch(`${serviceUrl}/_fake/pay`, {
    method: "POST",
    headers: { authorization: `Bearer ${FAKE_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ invoice }),
  });
  if (!response.ok) throw new Error(`fake pay failed: ${response.status}`);
  return ((await response.json()) as { preimage: string }).preimage;
}

if (values.help) process.stdout.write(USAGE);
else if (values.role === "service") await runService();
else if (values.role === "app") await runApp();
else await runMain();
