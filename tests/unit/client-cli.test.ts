/**
 * tollbooth-pay run as a real process (node --import tsx), against the fake paywall and
 * the fake dev wallet served from this test process.
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeLightning, startFakeDevWallet, startPaywall, type FakeDevWallet, type Paywall } from "./client-fakes";

const execFileAsync = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = "packages/l402/src/client/cli.ts";

interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { exitCode: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** A local URL nothing listens on: a port the OS just handed out and we released. */
async function urlOfClosedPort(): Promise<string> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

let lightning: FakeLightning;
let paywall: Paywall;
let expensivePaywall: Paywall;
let wallet: FakeDevWallet;

beforeAll(async () => {
  lightning = new FakeLightning();
  paywall = await startPaywall({ lightning, invoiceSats: 12 });
  expensivePaywall = await startPaywall({ lightning, invoiceSats: 5000 });
  wallet = await startFakeDevWallet(lightning);
});

afterAll(async () => {
  await Promise.all([paywall, expensivePaywall, wallet].map((server) => server.close()));
});

describe("tollbooth-pay", () => {
  it("--help prints the usage and exits 0", async () => {
    const run = await runCli(["--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^Usage: tollbooth-pay <url>/);
    expect(run.stdout).toContain("--max-sats");
  });

  it("pays and prints {status, paidSats, paymentHash, body} with --json", async () => {
    const run = await runCli([`${paywall.url}/premium`, "--json", "--dev-url", wallet.url]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as { status: number; paidSats: number; paymentHash: string; body: unknown };
    expect(report).toMatchObject({ status: 200, paidSats: 12, body: { paid: true, path: "/premium" } });
    expect(lightning.preimageByHash.has(report.paymentHash)).toBe(true);
  });

  it("prints the body as is, POSTs --data with --header, and finds the dev wallet through TOLLBOOTH_URL", async () => {
    const run = await runCli([`${paywall.url}/echo`, "--data", '{"q":1}', "--header", "Content-Type: application/json"], {
      TOLLBOOTH_URL: wallet.url,
    });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ paid: true, method: "POST", path: "/echo", body: '{"q":1}' });
    const echoed = paywall.seen.filter((request) => request.path === "/echo");
    expect(echoed.map((request) => [request.method, request.body])).toEqual([
      ["POST", '{"q":1}'],
      ["POST", '{"q":1}'],
    ]);
  });

  it("exits 1 with a clear message when the price is over --max-sats, and pays nothing", async () => {
    const paidBefore = wallet.paid.length;
    const run = await runCli([`${expensivePaywall.url}/premium`, "--dev-url", wallet.url]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("tollbooth-pay: refused to pay (over_max_price): invoice asks 5000 sats, more than maxPriceSats 1000 sats\n");
    expect(wallet.paid.length).toBe(paidBefore);
  });

  it("reports a refusal as JSON too with --json", async () => {
    const run = await runCli([`${paywall.url}/premium`, "--max-sats", "5", "--json", "--dev-url", wallet.url]);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: null, paidSats: 0, error: { code: "over_max_price" } });
  });

  it("exits 1 on a usage mistake", async () => {
    const run = await runCli([`${paywall.url}/premium`, "--wallet", "lnd"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("--wallet lnd needs --lnd-url");
  });

  it("exits 1 with the cause when the dev wallet is unreachable", async () => {
    const closedUrl = await urlOfClosedPort();
    const run = await runCli([`${paywall.url}/premium`, "--dev-url", closedUrl]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      `tollbooth-pay: payment failed (wallet_unavailable): dev wallet at ${closedUrl}/api/dev/pay is unreachable: fetch failed: connect ECONNREFUSED ${closedUrl.slice("http://".length)}\n`,
    );
  });
});
