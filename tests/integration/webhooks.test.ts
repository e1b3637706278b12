// Webhooks end to end against real Postgres, the real pg-boss worker and real HTTP
// receivers on localhost: signed so that @tollbooth/l402's verifyWebhook accepts them,
// retried on a (shortened) backoff schedule across a worker restart, refused for private
// addresses after DNS resolution unless allowed, rotated with a grace period, disabled
// after failing for days, redeliverable by hand, and payment.settled exactly once.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { verifyWebhook, WebhookVerificationError } from "@tollbooth/l402";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { settlePaidInvoices } from "../../lib/invoices/watch";
import { releaseUse } from "../../lib/invoices/release";
import { startWorker, type RunningWorker } from "../../lib/jobs/worker";
import { publicPost, RefusedDestinationError } from "../../lib/http/public-post";
import { webhookPolicy } from "../../lib/webhooks/config";
import { deliverWebhook } from "../../lib/webhooks/deliver";
import { enqueueDelivery, sweepStalledDeliveries } from "../../lib/webhooks/fan-out";
import { hasDueJobs } from "../../lib/jobs/queue";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  rotateWebhookSecret,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
  type WebhookScope,
} from "../../lib/webhooks/endpoints";
import { publishExpiringKeys } from "../../lib/webhooks/key-expiry";
import { redeliver, sendTestEvent } from "../../lib/webhooks/manual";
import { publishEvent, publishOperatorEvent, WEBHOOK_DELIVER_QUEUE } from "../../lib/webhooks/publish";
import { listDeliveries } from "../../lib/webhooks/queries";
import { decryptSecret } from "../../lib/webhooks/secret-box";
import { createApiKey } from "../../lib/keys/api-keys";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { issue, paidCall, payInvoice } from "../helpers/payments";
import { startReceiver, waitFor, type Receiver } from "../helpers/webhook-receiver";

let t: TestDatabase;
let app: Api;
let worker: RunningWorker;
const receivers: Receiver[] = [];
const quiet = { log() {}, error() {} };

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

async function tenantWithWebhook(respond?: Parameters<typeof startReceiver>[0], events = ["payment.settled"]) {
  const owner = await tenantWithKey(t.db);
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 100 });
  const hook = await receiver(respond);
  const scope: WebhookScope = { tenantId: owner.tenant.id, mode: "test" };
  const { endpoint, secret } = await createWebhookEndpoint(t.db, scope, { url: hook.url, events }, { actorUserId: owner.user.id });
  return { ...owner, hook, scope, endpoint, secret };
}

// Every test runs the real job-queue worker beside the app: pg-boss's connections and the
// app's would interleave on embedded PGlite's single session, so these need real Postgres
// (CI) and are reported as skipped on PGlite.
const suite = usingRealPostgres ? describe : describe.skip;

const startTestWorker = () => startWorker({ db: t.db, url: t.url, tasks: [], log: quiet, intervalMs: 60_000 });

beforeAll(async () => {
  if (!usingRealPostgres) return;
  t = await createTestDatabase();
  app = createApiApp();
});
beforeEach(async () => {
  if (!usingRealPostgres) return;
  vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
  vi.stubEnv("WEBHOOK_RETRY_DELAYS_SECONDS", "1");
  worker = await startTestWorker();
  await worker.ready;
});
afterEach(async () => {
  if (!usingRealPostgres) return;
  // Endpoints still retrying would keep the next test's worker busy.
  await t.db.webhookEndpoint.updateMany({ data: { enabled: false } });
  await worker.stop();
  vi.unstubAllEnvs();
});
afterAll(async () => {
  if (!usingRealPostgres) return;
  for (const r of receivers) await r.close();
  await t?.drop();
});

suite("(real Postgres) delivery", () => {
  it("a receiver sees each settled payment once, signed so verifyWebhook accepts it", async () => {
    const owner = await tenantWithWebhook();
    const paid = await paidCall(app, owner.key, "GET /premium");
    await waitFor(() => owner.hook.received.length === 1, 15_000, "the delivery");
    const [request] = owner.hook.received;
    const event = verifyWebhook(request.body, request.headers["tollbooth-signature"] as string, owner.secret);
    expect(event).toMatchObject({
      type: "payment.settled",
      data: { paymentHash: paid.paymentHash, amountSats: 100, amountMsat: "100000" },
    });
    expect(event.id).toMatch(/^evt_/);
    expect(typeof event.created).toBe("number");
    expect(Object.keys(JSON.parse(request.body))).toEqual(["id", "type", "created", "data"]);
    // Nothing more arrives: one event, one delivery, one attempt.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(owner.hook.received).toHaveLength(1);
    const deliveries = await t.db.webhookDelivery.findMany({ where: { endpointId: owner.endpoint.id }, include: { attemptLog: true } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ state: "succeeded", attempts: 1, lastStatus: 200 });
    expect(deliveries[0].attemptLog[0]).toMatchObject({
      responseStatus: 200,
      responseBody: "ok",
      succeeded: true,
      requestBody: request.body,
    });
    expect(deliveries[0].attemptLog[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it("a receiver that fails three times then succeeds gets the event, every attempt recorded", async () => {
    const owner = await tenantWithWebhook((n) => ({ status: n <= 3 ? 500 : 200, body: n <= 3 ? "boom" : "fine" }));
    await paidCall(app, owner.key, "GET /premium");
    await waitFor(() => owner.hook.received.length === 4, 25_000, "four attempts");
    const ids = owner.hook.received.map((r) => verifyWebhook(r.body, r.headers["tollbooth-signature"] as string, owner.secret).id);
    expect(new Set(ids).size).toBe(1);
    await waitFor(async () => (await t.db.webhookDelivery.findFirst({ where: { endpointId: owner.endpoint.id } }))?.state === "succeeded");
    const attempts = await t.db.webhookAttempt.findMany({
      where: { delivery: { endpointId: owner.endpoint.id } },
      orderBy: { number: "asc" },
    });
    expect(attempts.map((a) => [a.number, a.responseStatus, a.succeeded])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 500, false],
      [4, 200, true],
    ]);
    expect(attempts[0].responseBody).toBe("boom");
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: owner.endpoint.id } })).failingSince).toBeNull();
  }, 40_000);

  it("a delivery waiting for its retry survives a worker restart", async () => {
    vi.stubEnv("WEBHOOK_RETRY_DELAYS_SECONDS", "4");
    const owner = await tenantWithWebhook((n) => ({ status: n === 1 ? 503 : 200 }));
    await paidCall(app, owner.key, "GET /premium");
    await waitFor(() => owner.hook.received.length === 1, 15_000, "the first attempt");
    await waitFor(async () => (await t.db.webhookDelivery.findFirst({ where: { endpointId: owner.endpoint.id } }))?.state === "retrying");
    await worker.stop(); // mid-backoff: the retry lives only in the database now
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(owner.hook.received).toHaveLength(1);
    worker = await startTestWorker();
    await worker.ready;
    await waitFor(() => owner.hook.received.length === 2, 15_000, "the retry after the restart");
    await waitFor(async () => (await t.db.webhookDelivery.findFirst({ where: { endpointId: owner.endpoint.id } }))?.state === "succeeded");
  }, 40_000);

  it("manual redelivery sends the same event again and records a manual attempt", async () => {
    const owner = await tenantWithWebhook();
    await paidCall(app, owner.key, "GET /premium");
    await waitFor(() => owner.hook.received.length === 1);
    const delivery = await t.db.webhookDelivery.findFirstOrThrow({ where: { endpointId: owner.endpoint.id } });
    await waitFor(async () => (await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).state === "succeeded");
    await redeliver(t.db, owner.scope, delivery.id, { actorUserId: owner.user.id });
    await waitFor(() => owner.hook.received.length === 2);
    const [first, second] = owner.hook.received.map((r) => JSON.parse(r.body).id);
    expect(second).toBe(first);
    await waitFor(async () => (await t.db.webhookAttempt.count({ where: { deliveryId: delivery.id, succeeded: true } })) === 2);
    const attempts = await t.db.webhookAttempt.findMany({ where: { deliveryId: delivery.id }, orderBy: { number: "asc" } });
    expect(attempts.map((a) => a.manual)).toEqual([false, true]);
    expect(await t.db.auditEvent.count({ where: { tenantId: owner.tenant.id, action: "webhook_delivery.redelivered" } })).toBe(1);
  });

  it("send test event delivers a test-flagged event to that endpoint only", async () => {
    const owner = await tenantWithWebhook();
    const other = await receiver();
    await createWebhookEndpoint(t.db, owner.scope, { url: other.url, events: ["payment.settled"] });
    await sendTestEvent(t.db, owner.scope, owner.endpoint.id, "payment.settled");
    await waitFor(() => owner.hook.received.length === 1);
    const event = verifyWebhook(owner.hook.received[0].body, owner.hook.received[0].headers["tollbooth-signature"] as string, owner.secret);
    expect(event).toMatchObject({ type: "payment.settled", data: { test: true } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(other.received).toHaveLength(0);
  });
});

suite("(real Postgres) exactly once", () => {
  it("payment.settled is one event whether the watcher or verify settles first", async () => {
    const owner = await tenantWithWebhook();
    // Watcher first, then verify.
    const first = await issue(app, owner.key, "GET /premium");
    const preimage = await payInvoice(app, first.invoice);
    await settlePaidInvoices(t.db, { log: () => {} });
    const verified = await call(app, "POST", "/api/v1/l402/verify", {
      key: owner.key,
      body: { authorization: `L402 ${first.macaroon}:${preimage}`, method: "GET", path: "/premium" },
    });
    expect(verified.body).toMatchObject({ valid: true });
    // Verify first, then the watcher.
    const second = await paidCall(app, owner.key, "GET /premium");
    await settlePaidInvoices(t.db, { log: () => {} });
    for (const { paymentHash } of [first, second]) {
      expect(await t.db.webhookEvent.count({ where: { idempotencyKey: `payment.settled:${paymentHash}` } })).toBe(1);
    }
    await waitFor(() => owner.hook.received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const hashes = owner.hook.received.map((r) => JSON.parse(r.body).data.paymentHash).sort();
    expect(hashes).toEqual([first.paymentHash, second.paymentHash].sort());
  });

  it("stores no event for a tenant without a subscribed endpoint, and publishing twice is one event", async () => {
    const owner = await tenantWithKey(t.db);
    await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 100 });
    await paidCall(app, owner.key, "GET /premium");
    expect(await t.db.webhookEvent.count({ where: { tenantId: owner.tenant.id } })).toBe(0);

    const hooked = await tenantWithWebhook(undefined, ["payout.succeeded"]);
    const event = {
      tenantId: hooked.tenant.id,
      mode: "test" as const,
      type: "payout.succeeded" as const,
      data: { payoutId: "po_1" },
      idempotencyKey: "payout.succeeded:po_1",
    };
    const ids = await t.db.$transaction(async (tx) => [await publishEvent(tx, event), await publishEvent(tx, event)]);
    expect(ids[0]).toMatch(/^evt_/);
    expect(ids[1]).toBeNull();
    await waitFor(() => hooked.hook.received.length === 1);
  });

  it("a lost fan-out job is re-queued by the sweep", async () => {
    const owner = await tenantWithWebhook();
    await t.db.webhookEvent.create({
      data: {
        id: "evt_orphan",
        tenantId: owner.tenant.id,
        mode: "test",
        type: "payment.settled",
        idempotencyKey: "orphan",
        data: {},
        createdAt: new Date(Date.now() - 120_000),
      },
    });
    const { sweepUnfannedEvents } = await import("../../lib/webhooks/fan-out");
    expect(await sweepUnfannedEvents(t.db)).toBeGreaterThanOrEqual(1);
    await waitFor(() => owner.hook.received.some((r) => JSON.parse(r.body).id === "evt_orphan"));
  });

  it("a delivery whose job died with a worker is queued again by the sweep, once the queue has nothing waiting", async () => {
    const owner = await tenantWithWebhook();
    await t.db.webhookEvent.create({
      data: { id: "evt_stalled", tenantId: owner.tenant.id, mode: "test", type: "payment.settled", idempotencyKey: "stalled", data: {} },
    });
    // Its job went with the worker (pg-boss would hold it for 15 minutes): the delivery row
    // alone, due two minutes ago and untouched since; and one just made, which is not stalled.
    const old = new Date(Date.now() - 120_000);
    await t.db.webhookDelivery.create({
      data: { id: "whd_stalled", eventId: "evt_stalled", endpointId: owner.endpoint.id, createdAt: old, updatedAt: old },
    });
    await t.db.$executeRaw`UPDATE webhook_deliveries SET updated_at = ${old} WHERE id = 'whd_stalled'`;
    await t.db.webhookEvent.create({
      data: { id: "evt_fresh", tenantId: owner.tenant.id, mode: "test", type: "payment.settled", idempotencyKey: "fresh", data: {} },
    });
    await t.db.webhookDelivery.create({ data: { id: "whd_fresh", eventId: "evt_fresh", endpointId: owner.endpoint.id } });
    // A deliver job waiting means a busy queue, not a dead worker: nothing is added.
    await worker.stop();
    await enqueueDelivery(t.db, "whd_gone");
    expect(await sweepStalledDeliveries(t.db)).toBe(0);
    worker = await startTestWorker();
    await worker.ready;
    await waitFor(async () => !(await hasDueJobs(t.db, WEBHOOK_DELIVER_QUEUE)), 10_000, "the queue to drain");
    expect(await sweepStalledDeliveries(t.db)).toBe(1);
    expect(await sweepStalledDeliveries(t.db)).toBe(0); // marked: not again within the window
    await waitFor(() => owner.hook.received.some((r) => JSON.parse(r.body).id === "evt_stalled"));
    expect(owner.hook.received.some((r) => JSON.parse(r.body).id === "evt_fresh")).toBe(false);
  });

  it("a stalled delivery past the retry horizon is marked failed, not queued again", async () => {
    const owner = await tenantWithWebhook();
    await worker.stop();
    await t.db.webhookEvent.create({
      data: { id: "evt_ancient", tenantId: owner.tenant.id, mode: "test", type: "payment.settled", idempotencyKey: "ancient", data: {} },
    });
    const ancient = new Date(Date.now() - webhookPolicy().disableAfterSeconds * 1000 - 60_000);
    await t.db.webhookDelivery.create({
      data: { id: "whd_ancient", eventId: "evt_ancient", endpointId: owner.endpoint.id, createdAt: ancient },
    });
    await t.db.$executeRaw`UPDATE webhook_deliveries SET updated_at = ${ancient} WHERE id = 'whd_ancient'`;
    expect(await sweepStalledDeliveries(t.db)).toBe(0);
    expect(await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: "whd_ancient" } })).toMatchObject({
      state: "failed",
      lastError: "not delivered within the retry window",
    });
    const jobs = await t.db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pgboss.job WHERE name = ${WEBHOOK_DELIVER_QUEUE} AND data->>'deliveryId' = 'whd_ancient'`;
    expect(Number(jobs[0]!.n)).toBe(0);
    worker = await startTestWorker();
  });

  it("two jobs for one attempt (a sweep's copy and the original) make it once and schedule one retry", async () => {
    const owner = await tenantWithWebhook(() => ({ status: 500 }));
    await worker.stop();
    await t.db.webhookEvent.create({
      data: { id: "evt_twice", tenantId: owner.tenant.id, mode: "test", type: "payment.settled", idempotencyKey: "twice", data: {} },
    });
    await t.db.webhookDelivery.create({ data: { id: "whd_twice", eventId: "evt_twice", endpointId: owner.endpoint.id } });
    // Both were queued when the delivery had made no attempt: the second finds it made.
    expect(await deliverWebhook(t.db, "whd_twice", { expectedAttempts: 0 })).toBe("retrying");
    expect(await deliverWebhook(t.db, "whd_twice", { expectedAttempts: 0 })).toBe("skipped");
    expect(await t.db.webhookAttempt.count({ where: { deliveryId: "whd_twice" } })).toBe(1);
    expect(owner.hook.received).toHaveLength(1);
    // One retry schedule, whose job claims the next attempt.
    const jobs = await t.db.$queryRaw<{ data: { expectedAttempts?: number } }[]>`
      SELECT data FROM pgboss.job WHERE name = ${WEBHOOK_DELIVER_QUEUE} AND data->>'deliveryId' = 'whd_twice'`;
    expect(jobs.map((job) => job.data.expectedAttempts)).toEqual([1]);
    worker = await startTestWorker();
  });

  it("a released call publishes payment.failed_call once", async () => {
    const owner = await tenantWithWebhook(undefined, ["payment.failed_call"]);
    const paid = await paidCall(app, owner.key, "GET /premium");
    const request = { paymentHash: paid.paymentHash, redemption: paid.redemption, status: 502, reason: "upstream" };
    expect((await releaseUse(t.db, { tenantId: owner.tenant.id, mode: "test" }, request)).released).toBe(true);
    expect((await releaseUse(t.db, { tenantId: owner.tenant.id, mode: "test" }, request)).released).toBe(false);
    await waitFor(() => owner.hook.received.length === 1);
    expect(JSON.parse(owner.hook.received[0].body)).toMatchObject({
      type: "payment.failed_call",
      data: { paymentHash: paid.paymentHash, status: 502 },
    });
  });

  it("key.expiring is published once per key and threshold", async () => {
    const owner = await tenantWithWebhook(undefined, ["key.expiring"]);
    await createApiKey(t.db, owner.tenant.id, { name: "soon", expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() } as never);
    const key = await t.db.apiKey.findFirstOrThrow({ where: { tenantId: owner.tenant.id, name: "soon" } });
    await t.db.apiKey.update({ where: { id: key.id }, data: { expiresAt: new Date(Date.now() + 3 * 86_400_000) } });
    expect(await publishExpiringKeys(t.db)).toBe(1);
    expect(await publishExpiringKeys(t.db)).toBe(0);
    await t.db.apiKey.update({ where: { id: key.id }, data: { expiresAt: new Date(Date.now() + 12 * 3_600_000) } });
    expect(await publishExpiringKeys(t.db)).toBe(2); // the new expiry: both thresholds apply
    expect(await publishExpiringKeys(t.db)).toBe(0);
    await waitFor(() => owner.hook.received.length === 3);
    expect(JSON.parse(owner.hook.received[0].body)).toMatchObject({ type: "key.expiring", data: { keyId: key.id } });
  });
});

suite("(real Postgres) SSRF guard", () => {
  const post = (url: string, resolve?: (h: string) => Promise<{ address: string; family: number }[]>) =>
    publicPost(url, { headers: {}, body: "{}", timeoutMs: 2000, allowPrivate: false, resolve });

  it("refuses private, loopback, link-local, unique-local, CGNAT and IPv4-mapped addresses, after DNS resolution", async () => {
    const hook = await receiver();
    for (const url of [
      hook.url,
      `http://[::1]:${hook.port}/`,
      `http://[::ffff:127.0.0.1]:${hook.port}/`,
      "http://169.254.169.254/latest/meta-data",
      "http://10.1.2.3/",
      "http://100.64.0.1/",
      "http://[fd00::1]/",
      "http://[fe80::1]/",
      "http://0.0.0.0/",
      "http://224.0.0.1/",
    ]) {
      await expect(post(url), url).rejects.toBeInstanceOf(RefusedDestinationError);
    }
    // A public-looking name that resolves to a private address, or to public and private.
    await expect(post("https://hooks.example.com/", async () => [{ address: "127.0.0.1", family: 4 }])).rejects.toThrow(/private address/);
    await expect(
      post("https://hooks.example.com/", async () => [
        { address: "93.184.216.34", family: 4 },
        { address: "::ffff:10.0.0.5", family: 6 },
      ]),
    ).rejects.toThrow(/private address/);
    expect(hook.received).toHaveLength(0);
  });

  it("reads IPv4-mapped and IPv4-compatible IPv6 in every spelling as the IPv4 address", async () => {
    const { isPublicIp } = await import("../../lib/keys/ip-allowlist");
    for (const ip of ["::ffff:7f00:1", "::ffff:a00:5", "::ffff:127.0.0.1", "::7f00:1", "::", "::1"]) expect(isPublicIp(ip), ip).toBe(false);
    for (const ip of ["::ffff:5db8:d822", "93.184.216.34", "2606:4700::1111"]) expect(isPublicIp(ip), ip).toBe(true);
  });

  it("connects to the address it checked, not to a second DNS answer", async () => {
    const hook = await receiver();
    let lookups = 0;
    const result = await publicPost(`http://hooks.test:${hook.port}/hooks`, {
      headers: {},
      body: "{}",
      timeoutMs: 2000,
      allowPrivate: true,
      resolve: async () => {
        lookups++;
        return [{ address: "127.0.0.1", family: 4 }];
      },
    });
    expect(result.status).toBe(200);
    expect(lookups).toBe(1);
    expect(hook.received[0].headers.host).toBe(`hooks.test:${hook.port}`);
  });

  it("never follows a redirect (to a private address or anywhere): a 3xx is a failed attempt", async () => {
    const target = await receiver();
    const owner = await tenantWithWebhook(() => ({ status: 302, headers: { location: `http://169.254.169.254/` } }));
    await t.db.webhookEndpoint.update({ where: { id: owner.endpoint.id }, data: { events: ["payout.failed"] } });
    const redirecting = await receiver(() => ({ status: 307, headers: { location: target.url } }));
    const { endpoint } = await createWebhookEndpoint(t.db, owner.scope, { url: redirecting.url, events: ["payout.failed"] });
    await worker.stop();
    await t.db.$transaction((tx) =>
      publishEvent(tx, { tenantId: owner.tenant.id, mode: "test", type: "payout.failed", data: {}, idempotencyKey: "redirect-test" }),
    );
    const { fanOutEvent } = await import("../../lib/webhooks/fan-out");
    const event = await t.db.webhookEvent.findUniqueOrThrow({ where: { idempotencyKey: "redirect-test" } });
    await fanOutEvent(t.db, event.id);
    for (const delivery of await t.db.webhookDelivery.findMany({ where: { eventId: event.id } })) {
      expect(await deliverWebhook(t.db, delivery.id)).toBe("retrying");
    }
    const attempts = await t.db.webhookAttempt.findMany({ where: { delivery: { eventId: event.id } } });
    expect(attempts.map((a) => a.error).sort()).toEqual([
      `redirect to ${target.url} not followed`,
      "redirect to http://169.254.169.254/ not followed",
    ]);
    expect(target.received).toHaveLength(0);
    expect(endpoint.id).toBeTruthy();
    worker = await startTestWorker();
  });

  it("a delivery to a private address fails its attempt when private addresses are not allowed", async () => {
    const owner = await tenantWithWebhook();
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "0");
    await sendTestEvent(t.db, owner.scope, owner.endpoint.id, "payment.settled");
    await waitFor(
      async () => (await t.db.webhookAttempt.count({ where: { delivery: { endpointId: owner.endpoint.id }, succeeded: false } })) === 1,
    );
    const attempt = await t.db.webhookAttempt.findFirstOrThrow({ where: { delivery: { endpointId: owner.endpoint.id } } });
    expect(attempt.error).toMatch(/private address/);
    expect(owner.hook.received).toHaveLength(0);
  });

  it("refuses private and non-http URLs at registration unless allowed", async () => {
    const owner = await tenantWithKey(t.db);
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "0");
    const scope: WebhookScope = { tenantId: owner.tenant.id, mode: "live" };
    for (const url of [
      "http://localhost:3000/x",
      "https://127.0.0.1/x",
      "https://[::ffff:10.0.0.1]/x",
      "ftp://example.com/x",
      "not a url",
    ]) {
      await expect(createWebhookEndpoint(t.db, scope, { url, events: ["payment.settled"] }), url).rejects.toMatchObject({
        code: "invalid_webhook_url",
      });
    }
    vi.stubEnv("NODE_ENV", "production");
    await expect(createWebhookEndpoint(t.db, scope, { url: "http://example.com/x", events: ["payment.settled"] })).rejects.toMatchObject({
      code: "invalid_webhook_url",
    });
    vi.stubEnv("NODE_ENV", "test");
    await expect(createWebhookEndpoint(t.db, scope, { url: "https://example.com/x", events: ["nope"] })).rejects.toMatchObject({
      code: "invalid_webhook_endpoint",
    });
    expect(await t.db.webhookEndpoint.count({ where: { tenantId: owner.tenant.id } })).toBe(0);
  });
});

suite("(real Postgres) endpoint lifecycle", () => {
  it("stores the secret encrypted; a rotation signs with both until the grace period ends", async () => {
    const owner = await tenantWithWebhook();
    const stored = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: owner.endpoint.id } });
    expect(stored.secretCiphertext).not.toContain(owner.secret);
    expect(decryptSecret(stored.secretCiphertext)).toBe(owner.secret);

    const rotated = await rotateWebhookSecret(t.db, owner.scope, owner.endpoint.id, { graceHours: 24 });
    expect(rotated.secret).not.toBe(owner.secret);
    expect(rotated.endpoint.previousSecretExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await sendTestEvent(t.db, owner.scope, owner.endpoint.id, "payment.settled");
    await waitFor(() => owner.hook.received.length === 1);
    const during = owner.hook.received[0];
    const header = during.headers["tollbooth-signature"] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhook(during.body, header, owner.secret).type).toBe("payment.settled");
    expect(verifyWebhook(during.body, header, rotated.secret).type).toBe("payment.settled");

    await t.db.webhookEndpoint.update({ where: { id: owner.endpoint.id }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    await sendTestEvent(t.db, owner.scope, owner.endpoint.id, "payment.settled");
    await waitFor(() => owner.hook.received.length === 2);
    const after = owner.hook.received[1];
    const afterHeader = after.headers["tollbooth-signature"] as string;
    expect(afterHeader.match(/v1=/g)).toHaveLength(1);
    expect(verifyWebhook(after.body, afterHeader, rotated.secret).id).toMatch(/^evt_/);
    expect(() => verifyWebhook(after.body, afterHeader, owner.secret)).toThrow(WebhookVerificationError);
    expect(await t.db.auditEvent.count({ where: { tenantId: owner.tenant.id, action: "webhook_endpoint.secret_rotated" } })).toBe(1);
  });

  it("an endpoint failing for days is disabled, the owner told in the audit log, and no more is sent", async () => {
    await worker.stop();
    const owner = await tenantWithWebhook(() => ({ status: 500 }));
    const { delivery } = await sendTestEvent(t.db, owner.scope, owner.endpoint.id, "payment.settled");
    // Failing for a while, not for days: retried, still enabled.
    expect(await deliverWebhook(t.db, delivery.id)).toBe("retrying");
    await t.db.webhookEndpoint.update({ where: { id: owner.endpoint.id }, data: { failingSince: new Date(Date.now() - 2 * 86_400_000) } });
    expect(await deliverWebhook(t.db, delivery.id)).toBe("retrying");
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: owner.endpoint.id } })).enabled).toBe(true);
    // Three days of nothing but failures: disabled, with its reason, and audited.
    await t.db.webhookEndpoint.update({
      where: { id: owner.endpoint.id },
      data: { failingSince: new Date(Date.now() - 3 * 86_400_000 - 1000) },
    });
    expect(await deliverWebhook(t.db, delivery.id)).toBe("failed");
    const disabled = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: owner.endpoint.id } });
    expect(disabled).toMatchObject({ enabled: false });
    expect(disabled.disabledReason).toMatch(/failed for 3 days/);
    expect(await t.db.auditEvent.count({ where: { tenantId: owner.tenant.id, action: "webhook_endpoint.auto_disabled" } })).toBe(1);
    // A disabled endpoint gets no new deliveries.
    await t.db.$transaction((tx) =>
      publishEvent(tx, { tenantId: owner.tenant.id, mode: "test", type: "payment.settled", data: {}, idempotencyKey: "after-disable" }),
    );
    expect(await t.db.webhookEvent.count({ where: { idempotencyKey: "after-disable" } })).toBe(0);
    // Enabling starts a fresh failure run.
    const enabled = await setWebhookEndpointEnabled(t.db, owner.scope, owner.endpoint.id, true);
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    worker = await startTestWorker();
  });

  it("gives up after the retry window", async () => {
    await worker.stop();
    vi.stubEnv("WEBHOOK_RETRY_WINDOW_HOURS", "0");
    const owner = await tenantWithWebhook(() => ({ status: 500 }));
    const { delivery } = await sendTestEvent(t.db, owner.scope, owner.endpoint.id, "payment.settled");
    expect(await deliverWebhook(t.db, delivery.id)).toBe("failed");
    expect(webhookPolicy().retryWindowSeconds).toBe(0);
    worker = await startTestWorker();
  });

  it("delivers operator events to OPERATOR_WEBHOOK_URL signed with OPERATOR_WEBHOOK_SECRET", async () => {
    const hook = await receiver();
    vi.stubEnv("OPERATOR_WEBHOOK_URL", hook.url);
    vi.stubEnv("OPERATOR_WEBHOOK_SECRET", "whsec_operator");
    await t.db.$transaction((tx) =>
      publishOperatorEvent(tx, { type: "reconciliation.mismatch", data: { differenceMsat: "1000" }, idempotencyKey: "recon:1" }),
    );
    await waitFor(() => hook.received.length === 1);
    const event = verifyWebhook(hook.received[0].body, hook.received[0].headers["tollbooth-signature"] as string, "whsec_operator");
    expect(event).toMatchObject({ type: "reconciliation.mismatch", data: { differenceMsat: "1000" } });
  });
});

suite("(real Postgres) tenant isolation", () => {
  it("another tenant's (or the other mode's) endpoint and delivery ids are not found", async () => {
    const owner = await tenantWithWebhook();
    const { delivery } = await sendTestEvent(t.db, owner.scope, owner.endpoint.id, "payment.settled");
    const stranger = await tenantWithKey(t.db);
    const scopes: WebhookScope[] = [
      { tenantId: stranger.tenant.id, mode: "test" },
      { tenantId: owner.tenant.id, mode: "live" },
    ];
    for (const scope of scopes) {
      const notFound = { type: "not_found_error" };
      await expect(updateWebhookEndpoint(t.db, scope, owner.endpoint.id, { description: "x" })).rejects.toMatchObject(notFound);
      await expect(setWebhookEndpointEnabled(t.db, scope, owner.endpoint.id, false)).rejects.toMatchObject(notFound);
      await expect(rotateWebhookSecret(t.db, scope, owner.endpoint.id, {})).rejects.toMatchObject(notFound);
      await expect(sendTestEvent(t.db, scope, owner.endpoint.id, "payment.settled")).rejects.toMatchObject(notFound);
      await expect(deleteWebhookEndpoint(t.db, scope, owner.endpoint.id)).rejects.toMatchObject(notFound);
      await expect(redeliver(t.db, scope, delivery.id)).rejects.toMatchObject(notFound);
      expect((await listDeliveries(t.db, scope, owner.endpoint.id, { limit: 10 })).data).toEqual([]);
    }
    expect(await t.db.webhookEndpoint.findUnique({ where: { id: owner.endpoint.id } })).toMatchObject({ enabled: true });
  });
});
