// SIGTERM stops the server gracefully (lib/http/shutdown.ts): it exits 0 rather than dying
// of the signal, a request in flight gets its answer, and the access lines the logger was
// still batching are written on the way out.
import { spawn } from "node:child_process";
import http from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tenantWithKey } from "../helpers/api";
import { freePort } from "../helpers/free-port";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

it("on SIGTERM: exit 0, no request cut, and the batched access lines written out", async () => {
  const port = await freePort();
  // Production logging (batched info lines), one process.
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts", "--api-only"], {
    env: { ...process.env, NODE_ENV: "production", LOG_FORMAT: "json", DATABASE_URL: t.url, PORT: String(port), API_PROCESSES: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  try {
    const deadline = Date.now() + 60_000;
    while (!/listening on/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the API did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A request in flight when the signal comes: its key checks out, then the server waits
    // for a body that arrives only after the signal.
    const { key } = await tenantWithKey(t.db);
    const body = JSON.stringify({ endpoint: "GET /premium", priceSats: 10 });
    const answer = new Promise<number>((resolve, reject) => {
      const headers = { "content-type": "application/json", "content-length": String(body.length), authorization: `Bearer ${key}` };
      const req = http.request({ host: "127.0.0.1", port, path: "/api/v1/invoices", method: "POST", headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(5)), 300);
      }, 300);
    });
    // The invoice is made (a discovered endpoint at 10 sats), not cut off with a reset.
    expect(await answer).toBe(201);
    expect(await exited).toEqual({ code: 0, signal: null });
    const accessLines = output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg?: string; path?: string; status?: number })
      .filter((line) => line.msg === "request");
    expect(accessLines).toContainEqual(expect.objectContaining({ path: "/api/v1/invoices", status: 201 }));
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}, 90_000);
