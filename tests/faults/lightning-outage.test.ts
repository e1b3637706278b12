// The live Lightning node (LND, faked from its documented REST API) goes down or stops
// answering. Invoice creation then answers 503 with Retry-After, within the request
// timeout rather than hanging; tokens paid before the outage still verify, because
// verification needs only the preimage and Postgres; and creation works again when the
// node is back. A TCP proxy between the app and the fake plays the outage.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createApiKey } from "../../lib/keys/api-keys";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { startFakeLnd, type FakeLnd } from "../fakes/lnd-server";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

let t: TestDatabase;
let app: Api;
let liveKey: string;
let lnd: FakeLnd;
let proxy: TcpProxy;

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  const owner = await tenantWithKey(t.db);
  liveKey = (await createApiKey(t.db, owner.tenant.id, { name: "live", mode: "live" })).key;
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 100 });
  lnd = await startFakeLnd();
  proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(lnd.url).port) });
});
afterAll(async () => {
  await proxy?.close();
  await lnd?.close();
  await t?.drop();
});
afterEach(async () => {
  await proxy.restore();
  vi.unstubAllEnvs();
});

function useProxiedLnd() {
  vi.stubEnv("LIGHTNING_BACKEND", "lnd");
  vi.stubEnv("LND_REST_URL", `http://127.0.0.1:${proxy.port}`);
  vi.stubEnv("LND_MACAROON_HEX", lnd.macaroonHex);
  vi.stubEnv("LIGHTNING_REQUEST_TIMEOUT_MS", "1000");
}

const create = () => call(app, "POST", "/api/v1/invoices", { key: liveKey, body: { endpoint: "GET /premium" } });

/** A live invoice, paid on the node before the outage: its credential. */
async function paidCredential(): Promise<string> {
  const issued = await create();
  expect(issued.status).toBe(201);
  lnd.settle(issued.body.paymentHash);
  const preimage = lnd.invoices.get(issued.body.paymentHash)!.preimage.toString("hex");
  return `L402 ${issued.body.macaroon}:${preimage}`;
}

/** Back by itself: the first call may still meet a keep-alive socket the outage killed
 *  (never retried: a POST to a node must not be sent twice), the next ones succeed. */
async function expectRecovery() {
  const statuses = [];
  for (let i = 0; i < 3 && statuses.at(-1) !== 201; i++) statuses.push((await create()).status);
  expect(statuses.at(-1)).toBe(201);
  expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
}

function expectLightningUnavailable(answer: Awaited<ReturnType<typeof create>>) {
  expect(answer.status).toBe(503);
  expect(answer.headers.get("retry-after")).toBe("10");
  expect(answer.body.error).toMatchObject({ type: "api_error", code: "lightning_unavailable" });
  // The node's own words stay in the operator's log.
  expect(answer.body.error.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|v1\/invoices/);
}

describe("the Lightning node down or slow", () => {
  it("down (refusing connections): creation is 503 + Retry-After at once; paid tokens still verify", async () => {
    useProxiedLnd();
    const credential = await paidCredential();
    await proxy.cut();
    const started = Date.now();
    expectLightningUnavailable(await create());
    expect(Date.now() - started).toBeLessThan(1000);
    const verified = await call(app, "POST", "/api/v1/l402/verify", {
      key: liveKey,
      body: { authorization: credential, method: "GET", path: "/premium" },
    });
    expect(verified.body).toMatchObject({ valid: true });
    await proxy.restore();
    await expectRecovery();
  });

  it("slow (accepting, never answering): creation is 503 within the timeout, not a hang", async () => {
    useProxiedLnd();
    const credential = await paidCredential();
    proxy.blackhole();
    const started = Date.now();
    const answers = await Promise.all([create(), create(), create()]);
    const elapsedMs = Date.now() - started;
    for (const answer of answers) expectLightningUnavailable(answer);
    expect(elapsedMs).toBeGreaterThanOrEqual(900);
    expect(elapsedMs).toBeLessThan(3000);
    const verified = await call(app, "POST", "/api/v1/l402/verify", {
      key: liveKey,
      body: { authorization: credential, method: "GET", path: "/premium" },
    });
    expect(verified.body).toMatchObject({ valid: true });
    await proxy.restore();
    await expectRecovery();
  });
});
