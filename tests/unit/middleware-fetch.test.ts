// withL402 (fetch-style handlers) against a fake Tollbooth service on a loopback port.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FAKE_API_KEY, FakeService, fakeMacaroon } from "../../packages/l402/test/fake-service";
import { clearDiscoveryCache } from "../../packages/l402/src/server/discovery-cache";
import { getL402, withL402, wellKnownResponse, type L402Options, type L402Payment } from "../../packages/l402/src/index";
import { parseChallenge } from "../../packages/l402/src/shared/challenge";

const service = new FakeService();
let logged: string[] = [];

beforeAll(async () => {
  await service.start();
});
afterAll(() => service.stop());

beforeEach(() => {
  service.calls.length = 0;
  service.overrides.clear();
  clearDiscoveryCache();
  logged = [];
  for (const level of ["log", "warn", "error", "info", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
});
afterEach(() => vi.restoreAllMocks());

function protectedHandler(
  options: Partial<L402Options> = {},
  answer: (request: Request) => Response | Promise<Response> = () => Response.json({ data: "premium" }),
) {
  const seen: (L402Payment | undefined)[] = [];
  const handler = withL402(
    async (request: Request) => {
      seen.push(getL402(request));
      return answer(request);
    },
    { apiKey: FAKE_API_KEY, baseUrl: service.url, priceSats: 10, ...options },
  );
  return { handler, seen };
}

const get = (headers: Record<string, string> = {}, path = "/premium") => new Request(`http://api.example${path}?q=1`, { headers });

async function payFor(response: Response): Promise<string> {
  const body = await response.json();
  return `L402 ${body.macaroon}:${service.pay(body.invoice)}`;
}

/** Every string a secret could hide in must be absent from everything logged. */
function expectNoSecretsLogged(secrets: string[]) {
  for (const line of logged) for (const secret of secrets) expect(line).not.toContain(secret);
}

describe("withL402: unpaid calls", () => {
  it("answers 402 with the service's challenge verbatim, the JSON body and the cache/CORS headers", async () => {
    const { handler, seen } = protectedHandler();
    const response = await handler(get());
    expect(response.status).toBe(402);
    const [invoiceCall] = service.callsTo("/api/v1/invoices");
    expect(invoiceCall!.body).toEqual({ endpoint: "GET /premium", path: "/premium", priceSats: 10 });
    expect(invoiceCall!.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    const body = await response.json();
    const issued = service.tokens.get(body.paymentHash)!;
    expect(issued).toBeDefined();
    expect(response.headers.get("www-authenticate")).toBe(`L402 macaroon="${body.macaroon}", invoice="${body.invoice}"`);
    expect(parseChallenge(response.headers.get("www-authenticate"))).toMatchObject({
      scheme: "L402",
      macaroon: body.macaroon,
      invoice: body.invoice,
    });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-expose-headers")).toBe("WWW-Authenticate");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(body).sort()).toEqual(["error", "expiresAt", "invoice", "macaroon", "paymentHash", "priceSats"].sort());
    expect(body).toMatchObject({ error: "Payment Required", priceSats: 10 });
    expect(seen).toEqual([]);
  });

  it("uses the endpoint option (string or function) as the invoice's endpoint name", async () => {
    await protectedHandler({ endpoint: "GET /premium/:id" }).handler(get({}, "/premium/42"));
    await protectedHandler({ endpoint: ({ method, path }) => `${method} ${path.replace(/\d+$/, ":id")}` }).handler(get({}, "/premium/43"));
    expect(service.callsTo("/api/v1/invoices").map((call) => (call.body as { endpoint: string }).endpoint)).toEqual([
      "GET /premium/:id",
      "GET /premium/:id",
    ]);
  });

  it("forwards the payer's IP from the payerIp option on invoice and verify calls, and none when it gives none", async () => {
    const { handler } = protectedHandler({ payerIp: (request: Request) => request.headers.get("x-real-ip") } as Partial<L402Options>);
    const unpaid = await handler(get({ "x-real-ip": "198.51.100.7" }));
    expect(service.callsTo("/api/v1/invoices")[0]!.body).toMatchObject({ payerIp: "198.51.100.7" });
    expect((await handler(get({ "x-real-ip": "2001:db8::7", authorization: await payFor(unpaid) }))).status).toBe(200);
    expect(service.callsTo("/api/v1/l402/verify")[0]!.body).toMatchObject({ payerIp: "2001:db8::7" });
    await handler(get());
    expect(service.callsTo("/api/v1/invoices")[1]!.body).not.toHaveProperty("payerIp");
  });

  it("lets CORS preflights through without charging", async () => {
    const { handler, seen } = protectedHandler();
    const response = await handler(new Request("http://api.example/premium", { method: "OPTIONS" }));
    expect(response.status).toBe(200);
    expect(seen).toEqual([undefined]);
    expect(service.calls).toEqual([]);
  });
});

describe("withL402: credentials", () => {
  it("refuses a preimage that does not hash to the payment hash locally, without calling verify", async () => {
    const { handler, seen } = protectedHandler();
    const first = await (await handler(get())).json();
    const wrongPreimage = "ab".repeat(32);
    const response = await handler(get({ authorization: `L402 ${first.macaroon}:${wrongPreimage}` }));
    expect(response.status).toBe(402);
    const body = await response.json();
    expect(body.reason.code).toBe("unpaid");
    expect(body.paymentHash).not.toBe(first.paymentHash);
    expect(response.headers.get("www-authenticate")).toContain(body.macaroon);
    expect(service.callsTo("/api/v1/l402/verify")).toHaveLength(0);
    expect(service.callsTo("/api/v1/invoices")).toHaveLength(2);
    expect(seen).toEqual([]);
  });

  it("refuses a malformed credential locally with reason malformed_credential", async () => {
    const { handler } = protectedHandler();
    for (const authorization of ["L402 not-a-credential", "L402 AgEJ:zz", `LSAT !!!:${"00".repeat(32)}`]) {
      const response = await handler(get({ authorization }));
      expect(response.status).toBe(402);
      expect((await response.json()).reason.code).toBe("malformed_credential");
    }
    expect(service.callsTo("/api/v1/l402/verify")).toHaveLength(0);
  });

  it("treats another scheme (Bearer) as an unpaid call, without a reason", async () => {
    const response = await protectedHandler().handler(get({ authorization: "Bearer something" }));
    expect(response.status).toBe(402);
    expect((await response.json()).reason).toBeUndefined();
  });

  it("runs the handler exactly once on a valid credential, with the payment info; the token is then used up", async () => {
    const paid: L402Payment[] = [];
    const { handler, seen } = protectedHandler({ onPaid: (payment) => void paid.push(payment) });
    const authorization = await payFor(await handler(get()));
    const response = await handler(get({ authorization }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: "premium" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ amountSats: 10, endpoint: "GET /premium", remainingUses: 0, redemption: 1 });
    expect(paid).toEqual([seen[0]]);
    const [verifyCall] = service.callsTo("/api/v1/l402/verify");
    expect(verifyCall!.body).toEqual({ authorization, method: "GET", path: "/premium" });

    // Second use: the service refuses (used_up) and hands a fresh challenge, which we pass on as is.
    service.calls.length = 0;
    const again = await handler(get({ authorization }));
    expect(again.status).toBe(402);
    const body = await again.json();
    expect(body.reason).toEqual({ code: "used_up", message: "This token has been used up: pay again." });
    expect(again.headers.get("www-authenticate")).toBe(`L402 macaroon="${body.macaroon}", invoice="${body.invoice}"`);
    expect(service.callsTo("/api/v1/invoices")).toHaveLength(0); // the fresh invoice came with the verify answer
    expect(seen).toHaveLength(1);
  });

  it("accepts LSAT, lower-case schemes, upper-case hex and several macaroons", async () => {
    const { handler, seen } = protectedHandler();
    for (const shape of ["lsat", "L402-upper", "multi"]) {
      const body = await (await handler(get())).json();
      const preimage = service.pay(body.invoice);
      const authorization =
        shape === "lsat"
          ? `lsat ${body.macaroon}:${preimage}`
          : shape === "L402-upper"
            ? `L402 ${body.macaroon}:${preimage.toUpperCase()}`
            : `L402 ${fakeMacaroon(new Uint8Array([1, 2, 3]))}, ${body.macaroon}:${preimage}`;
      expect((await handler(get({ authorization }))).status).toBe(200);
    }
    expect(seen).toHaveLength(3);
  });
});

describe("withL402: paid but failed", () => {
  it("releases the use when the handler answers 5xx", async () => {
    const waited: Promise<unknown>[] = [];
    const { handler } = protectedHandler(
      { waitUntil: (promise) => void waited.push(promise) },
      () => new Response("boom", { status: 502 }),
    );
    const authorization = await payFor(await handler(get()));
    const response = await handler(get({ authorization }));
    expect(response.status).toBe(502);
    await Promise.all(waited);
    const [release] = service.callsTo("/api/v1/l402/release");
    expect(release!.body).toMatchObject({ redemption: 1, status: 502, reason: "handler answered 502" });
    expect((release!.body as { paymentHash: string }).paymentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("releases the use when the handler throws, and rethrows; a Workers ctx.waitUntil is picked up", async () => {
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (promise: Promise<unknown>) => void waited.push(promise) };
    const handler = withL402(
      async (_request: Request, _env: unknown, _ctx: typeof ctx): Promise<Response> => {
        throw new Error("database down");
      },
      { apiKey: FAKE_API_KEY, baseUrl: service.url },
    );
    const unpaid = await handler(get(), {}, ctx);
    const authorization = await payFor(unpaid);
    await expect(handler(get({ authorization }), {}, ctx)).rejects.toThrow("database down");
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
    expect(service.callsTo("/api/v1/l402/release")[0]!.body).toMatchObject({
      redemption: 1,
      status: 500,
      reason: "handler threw Error: database down",
    });
    // The token is usable again: the payer retries with the same credential.
    const retried = await protectedHandler().handler(get({ authorization }));
    expect(retried.status).toBe(200);
  });

  it("does not release on 4xx", async () => {
    const { handler } = protectedHandler({}, () => new Response("nope", { status: 404 }));
    const authorization = await payFor(await handler(get()));
    expect((await handler(get({ authorization }))).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.callsTo("/api/v1/l402/release")).toHaveLength(0);
  });
});

describe("withL402: the service is down or refuses", () => {
  async function withStoppedService<T>(run: (url: string) => Promise<T>): Promise<T> {
    const doomed = new FakeService();
    await doomed.start();
    const url = doomed.url;
    await doomed.stop();
    return run(url);
  }

  it("fails closed by default: 503, Retry-After: 5, JSON error; the handler does not run", async () => {
    await withStoppedService(async (url) => {
      const { handler, seen } = protectedHandler({ baseUrl: url });
      const response = await handler(get());
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toMatchObject({ error: "Service Unavailable" });
      expect(seen).toEqual([]);
    });
  });

  it("lets the call through unpaid with onUnavailable: allow", async () => {
    await withStoppedService(async (url) => {
      const { handler, seen } = protectedHandler({ baseUrl: url, onUnavailable: "allow" });
      const response = await handler(get());
      expect(response.status).toBe(200);
      expect(seen).toEqual([undefined]);
    });
  });

  it("answers 429 (never lets through, even with allow) when the service limits this payer's challenges", async () => {
    const payerLimited = {
      status: 429,
      times: 1,
      headers: { "retry-after": "9" },
      body: { error: { type: "rate_limit_error", code: "payer_rate_limited", message: "Too many unpaid requests from this payer." } },
    };
    service.overrides.set("/api/v1/invoices", { ...payerLimited });
    const { handler, seen } = protectedHandler({ onUnavailable: "allow" });
    const response = await handler(get());
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("9");
    expect(await response.json()).toMatchObject({ error: "Too Many Requests", retryAfter: 9 });
    // The same from verify (a refused credential would have cost a fresh challenge).
    service.overrides.set("/api/v1/l402/verify", { ...payerLimited });
    const paid = await handler(get({ authorization: await payFor(await protectedHandler().handler(get())) }));
    expect(paid.status).toBe(429);
    expect(seen).toEqual([]);
  });

  it("a 429 for the whole key is still an outage: 503 by default", async () => {
    service.overrides.set("/api/v1/invoices", {
      status: 429,
      times: 2,
      headers: { "retry-after": "3" },
      body: { error: { type: "rate_limit_error", code: "rate_limited", message: "Too many requests for this API key." } },
    });
    const response = await protectedHandler().handler(get());
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("3");
  });

  it("retries invoice creation once on 503 from the service", async () => {
    service.overrides.set("/api/v1/invoices", { status: 503, times: 1 });
    const response = await protectedHandler().handler(get());
    expect(response.status).toBe(402);
    expect(service.callsTo("/api/v1/invoices")).toHaveLength(2);
  });

  it("never retries verify after an answer (a 502 may follow a redemption): 503 to the payer", async () => {
    const { handler } = protectedHandler();
    const authorization = await payFor(await handler(get()));
    service.overrides.set("/api/v1/l402/verify", { status: 502, times: 1 });
    const response = await handler(get({ authorization }));
    expect(response.status).toBe(503);
    expect(service.callsTo("/api/v1/l402/verify")).toHaveLength(1);
  });

  it("retries verify only when the connection was refused (nothing was sent), not after a reset", async () => {
    const { handler: issue } = protectedHandler();
    const authorization = await payFor(await issue(get()));
    const failing = (code: string) => {
      let failures = 0;
      const fetchWithOneFailure: typeof fetch = async (input, init) => {
        if (String(input).endsWith("/verify") && failures++ === 0)
          throw Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });
        return fetch(input, init);
      };
      return fetchWithOneFailure;
    };
    const reset = await protectedHandler({ fetch: failing("ECONNRESET") }).handler(get({ authorization }));
    expect(reset.status).toBe(503);
    expect(service.callsTo("/api/v1/l402/verify")).toHaveLength(0);
    const refused = await protectedHandler({ fetch: failing("ECONNREFUSED") }).handler(get({ authorization }));
    expect(refused.status).toBe(200);
    expect(service.callsTo("/api/v1/l402/verify")).toHaveLength(1);
  });

  it("times out after timeoutMs and fails closed", async () => {
    const slow = new FakeService({ verifyDelayMs: 500 });
    await slow.start();
    try {
      const handler = withL402(() => Response.json({ ok: true }), { apiKey: FAKE_API_KEY, baseUrl: slow.url, timeoutMs: 100 });
      const body = await (await handler(get())).json();
      const started = Date.now();
      const response = await handler(get({ authorization: `L402 ${body.macaroon}:${slow.pay(body.invoice)}` }));
      expect(response.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(450);
    } finally {
      await slow.stop();
    }
  });

  it("answers 500 (never lets through) when the service rejects the key, even with allow", async () => {
    const { handler, seen } = protectedHandler({ apiKey: "tb_test_wrongwrongwrongwrongwrong", onUnavailable: "allow" });
    const response = await handler(get());
    expect(response.status).toBe(500);
    expect(seen).toEqual([]);
    expect(logged.some((line) => line.includes("401"))).toBe(true);
    expectNoSecretsLogged(["wrongwrongwrongwrongwrong"]);
  });

  it("answers 500 when no API key is configured", async () => {
    const { handler } = protectedHandler({ apiKey: undefined });
    vi.stubEnv("TOLLBOOTH_API_KEY", "");
    try {
      expect((await handler(get())).status).toBe(500);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("reads TOLLBOOTH_API_KEY and TOLLBOOTH_URL from the environment", async () => {
    vi.stubEnv("TOLLBOOTH_API_KEY", FAKE_API_KEY);
    vi.stubEnv("TOLLBOOTH_URL", `${service.url}/`);
    try {
      const handler = withL402(() => Response.json({}));
      expect((await handler(get())).status).toBe(402);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("secrets stay out of logs", () => {
  it("logs nothing that contains the key, a macaroon or a preimage through every failure path", async () => {
    const { handler } = protectedHandler();
    const body = await (await handler(get())).json();
    const preimage = service.pay(body.invoice);
    const authorization = `L402 ${body.macaroon}:${preimage}`;
    // verify fails (500, with the credential echoed in the error message), then release fails.
    service.overrides.set("/api/v1/l402/verify", {
      status: 500,
      times: 1,
      body: { error: { type: "api_error", code: "boom", message: `could not verify ${authorization} with ${FAKE_API_KEY}` } },
    });
    expect((await handler(get({ authorization }))).status).toBe(503);
    const failing = protectedHandler({ waitUntil: () => {} }, () => {
      throw new Error(`handler saw ${authorization}`);
    });
    service.overrides.set("/api/v1/l402/release", { status: 500, times: 2 });
    await expect(failing.handler(get({ authorization }))).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const releaseBody = service.callsTo("/api/v1/l402/release")[0]?.body as { reason: string } | undefined;
    expect(releaseBody?.reason).toBeDefined();
    expect(releaseBody!.reason).not.toContain(preimage);
    expect(logged.length).toBeGreaterThan(1);
    expectNoSecretsLogged([FAKE_API_KEY, body.macaroon, preimage, preimage.toUpperCase()]);
  });
});

describe("the payment page for browsers", () => {
  const browser = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

  it("answers 402 with HTML: tenant branding, QR image URL, invoice, WebLN and preimage unlock code, same headers", async () => {
    const { handler } = protectedHandler();
    const response = await handler(get(browser));
    expect(response.status).toBe(402);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-expose-headers")).toBe("WWW-Authenticate");
    const challenge = parseChallenge(response.headers.get("www-authenticate"));
    const html = await response.text();
    expect(html).toContain("<h1>Acme Weather</h1>");
    expect(html).toContain('src="https://acme.example/logo.png"');
    expect(html).toContain("--a:#0a7cff");
    expect(html).toContain(`src="${service.url}/api/v1/qr.svg?data=lightning:${challenge.invoice}"`);
    expect(html).toContain(`data-invoice="${challenge.invoice}"`);
    expect(html).toContain(`data-macaroon="${challenge.macaroon}"`);
    expect(html).toContain("sendPayment");
    expect(html).toMatch(/Authorization:\s*\w+/);
    // WebLN only when a real provider is there: no element may be called "webln", or
    // window.webln would be that element (and "Pay with WebLN" would always show and fail).
    expect(html).not.toMatch(/\sid="webln"/);
    expect(html).toMatch(/<button id="pay-webln" type="button" hidden>Pay with WebLN<\/button>/);
    expect(html).toMatch(/typeof \w+\?\.enable !== "function"/);
    // It finishes the call by itself: it polls the service for this payment hash, then asks for the preimage.
    expect(html).toContain(`data-service="${service.url}"`);
    expect(service.tokens.has(/data-hash="([0-9a-f]{64})"/.exec(html)![1]!)).toBe(true);
    expect(html).toContain("/api/public/invoices/");
    expect(html).toContain("/api/public/l402/preimage");
    expect(html).toContain("this page sees the payment and loads the answer");
    // Its own CSP, with the nonce on its inline style and script.
    const csp = response.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(csp).toContain(`img-src 'self' https: data: ${new URL(service.url).origin}`);
    expect(csp).toContain(`connect-src 'self' ${new URL(service.url).origin}`);
    // The inline script parses as JavaScript.
    const script = /<script[^>]*>([\s\S]*)<\/script>/.exec(html)![1]!;
    expect(() => new Function(script)).not.toThrow();
    // Branding is cached: one discovery call for two pages.
    await handler(get(browser));
    expect(service.callsTo("/api/v1/discovery")).toHaveLength(1);
  });

  it("escapes everything from the service and refuses unsafe colours and logo URLs", async () => {
    const hostile = new FakeService({
      tenant: { name: `<script>alert("x")</script>&co`, slug: "x", logoUrl: 'javascript:alert(1)"', accentColor: "red;}body{display:none" },
    });
    await hostile.start();
    try {
      const html = await (await withL402(() => Response.json({}), { apiKey: FAKE_API_KEY, baseUrl: hostile.url })(get(browser))).text();
      expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;co");
      expect(html).not.toContain('<script>alert("x")');
      expect(html).not.toContain("javascript:");
      expect(html).not.toContain("display:none");
      expect(html).toContain("--a:#f7931a");
    } finally {
      await hostile.stop();
    }
  });

  it("falls back to a plain page when discovery fails, and to JSON for API clients", async () => {
    service.overrides.set("/api/v1/discovery", { status: 500, times: 5 });
    const { handler } = protectedHandler();
    const page = await handler(get(browser));
    expect(page.status).toBe(402);
    expect(await page.text()).toContain("<h1>Payment required</h1>");
    const json = await handler(get({ accept: "application/json, text/html" }));
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    const disabled = await protectedHandler({ paymentPage: false }).handler(get(browser));
    expect(disabled.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("shows the refusal reason on the page", async () => {
    const html = await (
      await protectedHandler().handler(get({ ...browser, authorization: `L402 ${"A".repeat(8)}:${"00".repeat(32)}` }))
    ).text();
    expect(html).toContain("Credential refused:");
  });
});

describe("wellKnownResponse", () => {
  it("proxies the discovery document with a one-minute cache", async () => {
    const response = await wellKnownResponse({ apiKey: FAKE_API_KEY, baseUrl: service.url });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toMatchObject({ protocol: "L402", tenant: { slug: "acme" }, endpoints: [{ path: "/premium" }] });
    await wellKnownResponse({ apiKey: FAKE_API_KEY, baseUrl: service.url });
    expect(service.callsTo("/api/v1/discovery")).toHaveLength(1);
  });

  it("answers 503 when the service is down", async () => {
    const response = await wellKnownResponse({ apiKey: FAKE_API_KEY, baseUrl: "http://127.0.0.1:9", timeoutMs: 500 });
    expect(response.status).toBe(503);
  });
});
