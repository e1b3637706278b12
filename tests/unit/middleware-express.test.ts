// l402() and l402WellKnown() on a real node:http server behind a tiny connect-style stack
// (routes, route params, next(err), an error handler), no express dependency.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FAKE_API_KEY, FakeService } from "../../packages/l402/test/fake-service";
import { l402, l402WellKnown, type L402Payment, type NodeRequestLike } from "../../packages/l402/src/index";

type Req = IncomingMessage & NodeRequestLike & { originalUrl?: string };
type Next = (error?: unknown) => void;
type Handler = (req: Req, res: ServerResponse, next: Next) => void;
interface Layer {
  method?: string;
  /** Express-style pattern, e.g. /users/:id; absent = every path (app.use). */
  route?: string;
  handlers: Handler[];
}

/** Just enough of Express: layers in order, route matching with :params, sync throws and next(err) to the error handler. */
function connectApp(layers: Layer[], onError: (error: unknown, req: Req, res: ServerResponse) => void) {
  const matches = (layer: Layer, req: Req) => {
    if (layer.method && layer.method !== req.method) return false;
    if (!layer.route) return true;
    const pattern = new RegExp(`^${layer.route.replace(/:[^/]+/g, "[^/]+")}$`);
    return pattern.test((req.url ?? "").split("?")[0]!);
  };
  return (req: Req, res: ServerResponse) => {
    req.originalUrl = req.url;
    const queue = layers
      .filter((layer) => matches(layer, req))
      .flatMap((layer) => layer.handlers.map((handler) => ({ handler, route: layer.route })));
    let index = 0;
    const next: Next = (error) => {
      if (error) return onError(error, req, res);
      const step = queue[index++];
      if (!step) {
        res.statusCode = 404;
        return void res.end("not found");
      }
      req.route = step.route ? { path: step.route } : undefined;
      try {
        step.handler(req, res, next);
      } catch (thrown) {
        next(thrown);
      }
    };
    next();
  };
}

const service = new FakeService();
const seen: (L402Payment | undefined)[] = [];
let server: Server;
let base = "";

beforeAll(async () => {
  await service.start();
  const pay = l402({ apiKey: FAKE_API_KEY, baseUrl: service.url, priceSats: 21 });
  const app = connectApp(
    [
      { handlers: [l402WellKnown({ apiKey: FAKE_API_KEY, baseUrl: service.url })] },
      {
        method: "GET",
        route: "/premium",
        handlers: [
          pay,
          (req, res) => {
            seen.push(req.l402);
            res.setHeader("content-type", "application/json");
            res.end(JSON.stringify({ data: "premium" }));
          },
        ],
      },
      {
        method: "GET",
        route: "/users/:id",
        handlers: [
          pay,
          (req, res) => {
            seen.push(req.l402);
            res.end(`user ${req.url}`);
          },
        ],
      },
      {
        method: "GET",
        route: "/fails-next",
        handlers: [pay, (_req, _res, next) => setTimeout(() => next(new Error("upstream timeout")), 5)],
      },
      {
        method: "GET",
        route: "/throws",
        handlers: [
          pay,
          () => {
            throw new Error("bug");
          },
        ],
      },
      {
        method: "GET",
        route: "/bad-request",
        handlers: [
          pay,
          (_req, res) => {
            res.statusCode = 400;
            res.end("bad");
          },
        ],
      },
    ],
    (_error, _req, res) => {
      res.statusCode = 500;
      res.end("internal error");
    },
  );
  server = createServer((req, res) => app(req as Req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await service.stop();
});

beforeEach(() => {
  service.calls.length = 0;
  seen.length = 0;
});

async function paidAuthorization(path: string): Promise<string> {
  const unpaid = await fetch(base + path);
  expect(unpaid.status).toBe(402);
  const body = await unpaid.json();
  return `L402 ${body.macaroon}:${service.pay(body.invoice)}`;
}

async function releases(count: number) {
  await vi.waitFor(() => expect(service.callsTo("/api/v1/l402/release")).toHaveLength(count));
  return service.callsTo("/api/v1/l402/release");
}

describe("l402() Express/Connect middleware", () => {
  it("answers an unpaid call with 402, the challenge and the JSON body", async () => {
    const response = await fetch(`${base}/premium?x=1`);
    expect(response.status).toBe(402);
    const body = await response.json();
    expect(response.headers.get("www-authenticate")).toBe(`L402 macaroon="${body.macaroon}", invoice="${body.invoice}"`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-expose-headers")).toBe("WWW-Authenticate");
    expect(body).toMatchObject({ error: "Payment Required", priceSats: 21 });
    // The payer's address (the socket's, here) travels along, for its own challenge budget.
    expect(service.callsTo("/api/v1/invoices")[0]!.body).toEqual({
      endpoint: "GET /premium",
      path: "/premium",
      priceSats: 21,
      payerIp: "127.0.0.1",
    });
    expect(seen).toEqual([]);
  });

  it("forwards the payer's IP on verify too, and answers only that payer 429 when the service limits it", async () => {
    const authorization = await paidAuthorization("/premium");
    expect((await fetch(`${base}/premium`, { headers: { authorization } })).status).toBe(200);
    expect(service.callsTo("/api/v1/l402/verify")[0]!.body).toMatchObject({ payerIp: "127.0.0.1" });

    service.overrides.set("/api/v1/invoices", {
      status: 429,
      times: 1,
      headers: { "retry-after": "7" },
      body: { error: { type: "rate_limit_error", code: "payer_rate_limited", message: "Too many unpaid requests from this payer." } },
    });
    const limited = await fetch(`${base}/premium`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(await limited.json()).toMatchObject({ error: "Too Many Requests", retryAfter: 7 });
    expect(seen).toHaveLength(1);
  });

  it("runs the handler with req.l402 on a paid call, and only once per single-use token", async () => {
    const authorization = await paidAuthorization("/premium");
    const paid = await fetch(`${base}/premium`, { headers: { authorization } });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toEqual({ data: "premium" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ amountSats: 21, redemption: 1, remainingUses: 0 });
    expect(service.callsTo("/api/v1/l402/verify")[0]!.body).toMatchObject({ method: "GET", path: "/premium" });
    const again = await fetch(`${base}/premium`, { headers: { authorization } });
    expect(again.status).toBe(402);
    expect((await again.json()).reason.code).toBe("used_up");
    expect(seen).toHaveLength(1);
  });

  it("names the invoice after the matched route pattern, and verifies the real path", async () => {
    const authorization = await paidAuthorization("/users/42");
    expect(service.callsTo("/api/v1/invoices")[0]!.body).toMatchObject({ endpoint: "GET /users/:id" });
    expect((await fetch(`${base}/users/42`, { headers: { authorization } })).status).toBe(200);
    expect(service.callsTo("/api/v1/l402/verify")[0]!.body).toMatchObject({ path: "/users/42" });
  });

  it("refuses a wrong preimage locally: no verify call", async () => {
    const unpaid = await (await fetch(`${base}/premium`)).json();
    const response = await fetch(`${base}/premium`, { headers: { authorization: `L402 ${unpaid.macaroon}:${"11".repeat(32)}` } });
    expect(response.status).toBe(402);
    expect((await response.json()).reason.code).toBe("unpaid");
    expect(service.callsTo("/api/v1/l402/verify")).toHaveLength(0);
  });

  it("releases the use when the handler passes an error to next()", async () => {
    const authorization = await paidAuthorization("/fails-next");
    const response = await fetch(`${base}/fails-next`, { headers: { authorization } });
    expect(response.status).toBe(500);
    const [release] = await releases(1);
    expect(release!.body).toMatchObject({ redemption: 1, status: 500, reason: "handler answered 500" });
  });

  it("releases the use when the handler throws, and the same credential then works again", async () => {
    const authorization = await paidAuthorization("/throws");
    expect((await fetch(`${base}/throws`, { headers: { authorization } })).status).toBe(500);
    await releases(1);
    const token = [...service.tokens.values()].find((t) => t.endpoint === "GET /throws")!;
    expect(token.usesConsumed).toBe(0);
  });

  it("does not release on a 4xx answer", async () => {
    const authorization = await paidAuthorization("/bad-request");
    expect((await fetch(`${base}/bad-request`, { headers: { authorization } })).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.callsTo("/api/v1/l402/release")).toHaveLength(0);
  });

  it("sends browsers the HTML payment page", async () => {
    const response = await fetch(`${base}/premium`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(402);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("Pay with WebLN");
  });
});

describe("l402WellKnown()", () => {
  it("serves /.well-known/l402.json from the discovery document and passes other paths on", async () => {
    const response = await fetch(`${base}/.well-known/l402.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(await response.json()).toMatchObject({ protocol: "L402", endpoints: [{ method: "GET", path: "/premium" }] });
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });
});
