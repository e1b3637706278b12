// The API as several processes behind one port (API_PROCESSES), the real server started
// as `npm run start:api` would. With REDIS_URL set the processes share their rate-limit
// buckets, and a key revocation or an endpoint edit reaches every process at once; the
// same runs without Redis show why it is needed (each process alone, caches stale).
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateEndpoint } from "../../lib/endpoints/registry";
import { createEndpoint } from "../../lib/endpoints/registry";
import { revokeKey } from "../../lib/keys/manage";
import { closeRedis } from "../../lib/redis/client";
import { tenantWithKey } from "../helpers/api";
import { freePort } from "../helpers/free-port";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  delete process.env.REDIS_URL;
  await closeRedis();
  await t?.drop();
});

interface Api {
  port: number;
  child: ChildProcess;
  output: () => string;
}

async function startApi(env: Record<string, string>): Promise<Api> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts", "--api-only"], {
    env: { ...process.env, NODE_ENV: "test", DATABASE_URL: t.url, PORT: String(port), API_PROCESSES: "2", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!/listening on/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGTERM"); // its processes must not outlive the test
      throw new Error(`the API did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Both processes up: wait until each has answered.
  const pids = new Set<string>();
  while (pids.size < 2 && Date.now() < deadline) pids.add((await get(port, "/api/health", "")).process);
  expect(pids.size).toBe(2);
  return { port, child, output: () => output };
}

async function stopApi(api: Api) {
  api.child.kill("SIGTERM");
  await new Promise((resolve) => api.child.once("exit", resolve));
}

interface Answer {
  amountSats?: number;
  error?: { code: string };
}

/** One request on a connection of its own, so the cluster hands each to the next process. */
function get(
  port: number,
  path: string,
  key: string,
  method = "GET",
  body?: unknown,
): Promise<{ status: number; body: Answer; process: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method,
        agent: false,
        headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null, process: String(res.headers["x-tollbooth-process"]) }),
        );
      },
    );
    req.on("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const LIMITS = { API_RATE_LIMIT_PER_SECOND: "0.01", API_RATE_LIMIT_BURST: "10", API_KEY_CACHE_MS: "60000", ENDPOINT_CACHE_MS: "60000" };

describe("several API processes on one port", () => {
  it("with Redis: one rate limit for all processes; without: one per process", async () => {
    for (const [redis, allowedAtMost, allowedAtLeast] of [
      [true, 10, 10],
      [false, 20, 20],
    ] as const) {
      const { key } = await tenantWithKey(t.db);
      const api = await startApi({ ...LIMITS, ...(redis ? { REDIS_URL } : { REDIS_URL: "" }) });
      try {
        const answers = [];
        for (let i = 0; i < 30; i++) answers.push(await get(api.port, "/api/v1/endpoints", key));
        const allowed = answers.filter((a) => a.status === 200).length;
        expect(new Set(answers.map((a) => a.process)).size).toBe(2); // both processes served
        expect(allowed).toBeLessThanOrEqual(allowedAtMost);
        expect(allowed).toBeGreaterThanOrEqual(allowedAtLeast);
        expect(answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
      } finally {
        await stopApi(api);
      }
    }
  }, 120_000);

  it("with Redis: a revoked key and an edited price reach every process at once", async () => {
    process.env.REDIS_URL = REDIS_URL;
    const owner = await tenantWithKey(t.db);
    await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
    const api = await startApi({ ...LIMITS, API_RATE_LIMIT_BURST: "1000", REDIS_URL });
    try {
      // Warm both processes' caches (key and endpoints).
      for (let i = 0; i < 6; i++) {
        const issued = await get(api.port, "/api/v1/invoices", owner.key, "POST", { endpoint: "GET /premium" });
        expect([issued.status, issued.body.amountSats]).toEqual([201, 10]);
      }
      const endpoint = (await t.db.endpoint.findFirstOrThrow({ where: { tenantId: owner.tenant.id } })).id;
      await updateEndpoint(t.db, owner.tenant.id, endpoint, { priceSats: 25 });
      await new Promise((resolve) => setTimeout(resolve, 300)); // pub/sub delivery
      for (let i = 0; i < 6; i++) {
        const issued = await get(api.port, "/api/v1/invoices", owner.key, "POST", { endpoint: "GET /premium" });
        expect([issued.status, issued.body.amountSats]).toEqual([201, 25]);
      }

      await revokeKey(t.db, owner.user.id, owner.tenant.id, owner.keyRecord.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = [];
      for (let i = 0; i < 6; i++) after.push(await get(api.port, "/api/v1/endpoints", owner.key));
      expect(new Set(after.map((a) => a.process)).size).toBe(2);
      expect(after.map((a) => [a.status, a.body.error?.code])).toEqual(Array(6).fill([401, "api_key_revoked"]));
    } finally {
      await stopApi(api);
    }
  }, 120_000);

  it("without Redis: each process serves a revoked key until its cache expires (why REDIS_URL matters)", async () => {
    process.env.REDIS_URL = "";
    await closeRedis(); // this process forgets Redis too
    const owner = await tenantWithKey(t.db);
    const api = await startApi({ ...LIMITS, API_RATE_LIMIT_BURST: "1000", REDIS_URL: "" });
    try {
      for (let i = 0; i < 4; i++) expect((await get(api.port, "/api/v1/endpoints", owner.key)).status).toBe(200);
      await revokeKey(t.db, owner.user.id, owner.tenant.id, owner.keyRecord.id);
      const after = [];
      for (let i = 0; i < 4; i++) after.push((await get(api.port, "/api/v1/endpoints", owner.key)).status);
      expect(after).toEqual([200, 200, 200, 200]); // API_KEY_CACHE_MS=60000 here
    } finally {
      await stopApi(api);
    }
  }, 120_000);
});
