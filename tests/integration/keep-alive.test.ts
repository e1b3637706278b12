// An idle keep-alive connection outlives the 5 s Node closes it after by default
// (lib/http/keep-alive.ts): a proxy or agent that reuses it (nginx keeps upstream
// connections 60 s) must not hit a connection the server just closed (ECONNRESET, a 502).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS } from "../../lib/http/keep-alive";
import { startServer } from "../../server";

let t: TestDatabase;
let server: Server;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startServer({ apiOnly: true, port: 0, hostname: "127.0.0.1" });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.drop();
});

function get(agent: http.Agent, port: number): Promise<{ status: number; localPort: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/api/health", agent }, (res) => {
      const localPort = res.socket.localPort ?? 0;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, localPort }));
    });
    req.on("error", reject);
  });
}

it("keeps an idle connection open past Node's 5 s default, longer than nginx's 60 s", async () => {
  expect(server.keepAliveTimeout).toBe(DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
  expect(DEFAULT_KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
  expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  const port = (server.address() as AddressInfo).port;
  // One socket, and the agent itself never times it out: only the server could close it.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await get(agent, port);
    let closedByServer = false;
    agent.once("free", (socket) => socket.once("close", () => (closedByServer = true)));
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(closedByServer).toBe(false);
    const second = await get(agent, port);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.localPort).toBe(first.localPort);
  } finally {
    agent.destroy();
  }
}, 20_000);
