// The API's limits on what it is sent, and its answer when its database is gone: a body
// over API_BODY_LIMIT_BYTES is refused with 413 before it is read, and a database that
// refuses or drops connections gives 503 with Retry-After, never a 500.
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, usingRealPostgres } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { apiBodyLimitBytes, refuseLargeBody } from "../../lib/api/body-limit";
import { resetApiAuthState } from "../../lib/api/auth";
import { createDb, setDb } from "../../lib/db/client";
import { isDatabaseUnavailable } from "../../lib/db/errors";
import { createEndpoint } from "../../lib/endpoints/registry";
import { LightningError } from "../../lib/lightning/backend";
import { proxy } from "../../proxy";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
});
afterAll(async () => {
  await t.drop();
});

const LIMIT = apiBodyLimitBytes();
const MB = 1024 * 1024;

/** A body of `total` bytes made on demand, counting what the server pulled. */
function lazyBody(total: number, chunk = 16 * 1024) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= total) return controller.close();
      counter.pulled += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x20));
    },
  });
  return { stream, counter };
}

async function expectTooLarge(response: Response) {
  expect(response.status).toBe(413);
  expect(response.headers.get("x-request-id")).toBeTruthy();
  expect(await response.json()).toEqual({
    error: { type: "invalid_request_error", code: "body_too_large", message: `Request bodies can be ${LIMIT} bytes at most.` },
  });
}

describe("request body limit", () => {
  it("defaults to 64 KiB", () => {
    expect(LIMIT).toBe(64 * 1024);
  });

  it("refuses a 100 MB body from its Content-Length without reading any of it", async () => {
    const { stream, counter } = lazyBody(100 * MB);
    const response = await app.request("/api/v1/invoices", {
      method: "POST",
      headers: { authorization: `Bearer ${owner.key}`, "content-type": "application/json", "content-length": String(100 * MB) },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectTooLarge(response);
    expect(counter.pulled).toBeLessThanOrEqual(64 * 1024); // at most what the stream buffered ahead
  });

  it("stops reading a chunked body as soon as it passes the limit, on every route", async () => {
    for (const path of ["/api/v1/invoices", "/api/v1/l402/verify", "/api/dev/pay", "/api/v1/endpoints", "/api/no-such-route"]) {
      const { stream, counter } = lazyBody(100 * MB);
      const response = await app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      await expectTooLarge(response);
      expect(counter.pulled).toBeLessThan(LIMIT + 4 * 16 * 1024);
    }
  });

  it("lets a body under the limit through to validation", async () => {
    const response = await call(app, "POST", "/api/v1/l402/verify", {
      key: owner.key,
      body: { authorization: "x".repeat(LIMIT - 1000), method: "GET", path: "/premium" },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.param).toBe("authorization");
  });

  it("is configurable with API_BODY_LIMIT_BYTES", async () => {
    process.env.API_BODY_LIMIT_BYTES = "100";
    try {
      const small = createApiApp();
      const response = await call(small, "POST", "/api/v1/invoices", {
        key: owner.key,
        body: { endpoint: "GET /premium", description: "x".repeat(100) },
      });
      expect(response.status).toBe(413);
      expect(response.body.error.message).toBe("Request bodies can be 100 bytes at most.");
    } finally {
      delete process.env.API_BODY_LIMIT_BYTES;
    }
  });

  it("covers next-auth's /api/auth routes too, which Next serves (through proxy.ts)", async () => {
    const signIn = (body: BodyInit, headers: Record<string, string> = {}) =>
      new Request("http://app.example/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body,
        duplex: "half",
      } as RequestInit);
    expect(await proxy(signIn("email=a%40b.co&password=x"))).toBeUndefined();
    for (const request of [signIn(lazyBody(100 * MB).stream), signIn(lazyBody(100 * MB).stream, { "content-length": String(100 * MB) })]) {
      const response = await proxy(request);
      expect(response?.status).toBe(413);
      expect(await response!.json()).toEqual({
        error: { type: "invalid_request_error", code: "body_too_large", message: `Request bodies can be ${LIMIT} bytes at most.` },
      });
    }
    expect(await refuseLargeBody(new Request("http://app.example/api/auth/session"))).toBeUndefined();
  });

  describe("over a real socket", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer(getRequestListener(createApiApp().fetch));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Sends up to 100 MB (announced or chunked) until the answer arrives; how much went out. */
    function send(announceLength: boolean) {
      return new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
        let sentBytes = 0;
        let answered = false;
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port,
            method: "POST",
            path: "/api/v1/invoices",
            headers: {
              authorization: `Bearer ${owner.key}`,
              "content-type": "application/json",
              ...(announceLength ? { "content-length": String(100 * MB) } : {}),
            },
          },
          (res) => {
            answered = true;
            let body = "";
            res.on("data", (chunk) => {
              body += chunk;
            });
            res.on("end", () => {
              req.destroy();
              resolve({ status: res.statusCode!, body, sentBytes });
            });
          },
        );
        req.on("error", (error) => {
          if (!answered) reject(error);
        });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!answered && sentBytes < 100 * MB) {
            sentBytes += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
        };
        pump();
      });
    }

    it("answers 413 long before a 100 MB body is sent, announced or chunked", async () => {
      for (const announceLength of [true, false]) {
        const { status, body, sentBytes } = await send(announceLength);
        expect(status).toBe(413);
        expect(JSON.parse(body).error.code).toBe("body_too_large");
        expect(sentBytes).toBeLessThan(20 * MB);
      }
    });
  });
});

describe("database unavailable", () => {
  const CLOSED_PORT_URL = "postgresql://postgres@127.0.0.1:1/postgres";
  afterEach(() => {
    setDb(t.db);
    resetApiAuthState();
  });

  function expectUnavailable(response: { status: number; headers: Headers; body: unknown }) {
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.body).toEqual({
      error: {
        type: "api_error",
        code: "database_unavailable",
        message: "The service cannot reach its database right now. Retry in 5 seconds.",
      },
    });
  }

  it("gives 503 with Retry-After when the database refuses connections (Prisma and the hot path)", async () => {
    // Warm the key and endpoint caches, then lose the database: the invoice insert and the
    // token lookup go to pg directly.
    expect((await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /premium" } })).status).toBe(201);
    const closed = createDb(CLOSED_PORT_URL, 1);
    setDb(closed);
    expectUnavailable(await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /premium" } }));
    expectUnavailable(
      await call(app, "POST", "/api/v1/l402/verify", {
        key: owner.key,
        body: { authorization: `L402 ${"A".repeat(120)}:${"0".repeat(64)}`, method: "GET", path: "/premium" },
      }),
    );
    // A key not cached yet: looked up through Prisma.
    resetApiAuthState();
    expectUnavailable(await call(app, "GET", "/api/v1/endpoints", { key: owner.key }));
    await closed.$disconnect();
  });

  // Needs a server with many backends (locks, pg_stat_activity, pg_terminate_backend): PGlite has one.
  it.skipIf(!usingRealPostgres)(
    "gives 503 when the database terminates the connections of requests in flight (real Postgres)",
    async () => {
      await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /premium" } });
      for (const [table, request] of [
        // Cached key: the invoice insert (pg, hot path) waits on the lock.
        ["invoices", () => call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /premium" } })],
        // Uncached key: the key lookup (Prisma) waits on the lock.
        [
          "api_keys",
          () => {
            resetApiAuthState();
            return call(app, "GET", "/api/v1/endpoints", { key: owner.key });
          },
        ],
      ] as const) {
        await t.db.$queryRaw`SELECT 1`; // the pool has reconnected after the previous round
        const locker = new pg.Client({ connectionString: t.url });
        await locker.connect();
        try {
          await locker.query("BEGIN");
          await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
          const pending = request();
          // Wait until the request is blocked on the lock, then cut its connection.
          let blocked: number[] = [];
          for (let i = 0; i < 200 && blocked.length === 0; i++) {
            await new Promise((resolve) => setTimeout(resolve, 25));
            const { rows } = await locker.query(
              "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            );
            blocked = rows.map((row) => row.pid as number);
          }
          expect(blocked.length).toBeGreaterThan(0);
          await locker.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [blocked]);
          expectUnavailable(await pending);
        } finally {
          await locker.query("ROLLBACK");
          await locker.end();
        }
      }
      // Nothing is broken for good: the next request works.
      expect((await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /premium" } })).status).toBe(201);
    },
  );

  it("tells a lost database apart from other failures", () => {
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(new LightningError("lnd", "POST /v1/invoices failed: connect ECONNREFUSED"))).toBe(false);
    // fetch's error for a Lightning node or webhook URL that refuses: not the database.
    expect(
      isDatabaseUnavailable(
        new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }),
      ),
    ).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("the database system is starting up"), { code: "57P03" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
  });
});
