// Request ids in the API-only server (`npm run start:api`): an API error line carries the id
// the answer went out with, passed explicitly; and the process never turns on
// AsyncLocalStorage, whose promise hooks cost the hot path ~0.2 ms of CPU per verification
// on Node 20 (bench/README.md, "Issue 10"): not our log scope, not any library's, through a
// paid verification, an error and a 404.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.LOG_FORMAT = "json";
});

import { resetApiAuthState } from "../../lib/api/auth";
import { createDb, setDb } from "../../lib/db/client";
import { createEndpoint } from "../../lib/endpoints/registry";
import { logScopeOpened } from "../../lib/log/scope";
import { startServer } from "../../server";
import { type Api, tenantWithKey } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { paidCall } from "../helpers/payments";

let t: TestDatabase;
let server: Server;
let base: string;
let api: Api;
let key: string;

beforeAll(async () => {
  t = await createTestDatabase();
  resetApiAuthState();
  const owner = await tenantWithKey(t.db);
  key = owner.key;
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
  server = await startServer({ apiOnly: true, port: 0, hostname: "127.0.0.1" });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The payment helpers, over HTTP through server.ts instead of in-process.
  api = { request: (path: string, init?: RequestInit) => fetch(`${base}${path}`, init) } as unknown as Api;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.drop();
});

/** Async hooks enabled in this process (AsyncLocalStorage enables one when first used). */
function enabledAsyncHooks(): number {
  vi.spyOn(process, "emitWarning").mockImplementation(() => {}); // process.binding is deprecated
  const binding = (
    process as unknown as { binding(name: string): { async_hook_fields: Uint32Array; constants: { kInit: number } } }
  ).binding("async_wrap");
  vi.mocked(process.emitWarning).mockRestore();
  return binding.async_hook_fields[binding.constants.kInit]!;
}

async function logged(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const keep = (chunk: unknown) => lines.push(String(chunk)) > 0;
  const out = vi.spyOn(process.stdout, "write").mockImplementation(keep);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(keep);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.flatMap((chunk) => chunk.split("\n").filter((line) => line.startsWith("{"))).map((line) => JSON.parse(line));
}

describe("request ids in the API-only server", () => {
  it("an API error line carries the id of the answer", async () => {
    // The database goes away: the key lookup fails, the answer is 503 and the error is logged.
    const unreachable = createDb("postgresql://postgres@127.0.0.1:1/unreachable", 1);
    setDb(unreachable);
    resetApiAuthState();
    let response: Response | undefined;
    const lines = await logged(async () => {
      response = await fetch(`${base}/api/v1/endpoints`, { headers: { authorization: `Bearer ${key}`, "x-request-id": "api-call-1" } });
      await response.text();
    }).finally(async () => {
      setDb(t.db);
      await unreachable.$disconnect().catch(() => {});
    });
    expect(response?.status).toBe(503);
    expect(response?.headers.get("x-request-id")).toBe("api-call-1");
    const failure = lines.find((line) => line.component === "api");
    expect(failure).toMatchObject({ level: 40, requestId: "api-call-1", method: "GET", path: "/api/v1/endpoints" });
    expect(failure?.msg).toMatch(/^database unavailable/);
    // And on the access line; nothing else was logged for the request.
    expect(lines.filter((line) => line !== failure)).toMatchObject([{ component: "http", requestId: "api-call-1", status: 503 }]);
  });

  it("never enables AsyncLocalStorage: no log scope, no async hook", async () => {
    resetApiAuthState();
    await paidCall(api, key, "GET /premium");
    expect((await fetch(`${base}/api/v1/nothing-here`)).status).toBe(404);
    expect(logScopeOpened()).toBe(false);
    expect(enabledAsyncHooks()).toBe(0);
  });
});
