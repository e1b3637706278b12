// "Make a test call": the whole L402 round trip an owner's API will make, run from the
// dashboard. A handler wrapped in the real middleware (withL402 from @tollbooth/l402) is
// called without a credential and answers 402 with an invoice from the real service; the
// dev wallet pays it; the call is retried with the credential, the service verifies and
// settles it (a real ledger entry, in the test book) and the handler answers 200. Only the
// network hop is skipped: the middleware's fetch calls the Hono app in this process.
import { withL402, getL402 } from "@tollbooth/l402";
import { createApiApp } from "../api/app";
import { recordAudit, type RequestContext } from "../audit/record";
import type { Db } from "../db/client";
import { listEndpoints, type EndpointRecord } from "../endpoints/registry";
import { AppError } from "../errors";
import { paySimulatedInvoice } from "../lightning/simulated";
import { requireMembership } from "../tenants/permissions";
import { ensureTestCallKey } from "./test-call-key";

export interface TestCallResult {
  endpoint: string;
  /** The literal path called (a pattern's parameters filled in). */
  path: string;
  challenge: { status: number; wwwAuthenticate: string; invoice: string; paymentHash: string; amountSats: number };
  payment: { preimage: string; paymentHash: string; amountSats: number };
  answer: { status: number; body: unknown };
}

// Never resolved: the middleware only uses it to build the service URLs it hands to fetch.
const IN_PROCESS_SERVICE = "http://tollbooth.internal";
// Stands in for the owner's API; only the path matters to the middleware.
const OWNER_API = "http://your-api.test";

let service: ReturnType<typeof createApiApp> | undefined;
const inProcessFetch: typeof fetch = (input, init) => {
  service ??= createApiApp();
  return Promise.resolve(service.fetch(new Request(input, init)));
};

/** A concrete path a pattern serves: `/forecast/:city` → `/forecast/test`, `/files/*` → `/files/test`. */
export function samplePath(pattern: string): string {
  return pattern
    .split("/")
    .map((part) => (part.startsWith(":") || part === "*" ? "test" : part))
    .join("/");
}

/** The endpoint a test call pays for: the one asked for, else the first enabled one. */
async function pickEndpoint(db: Db, tenantId: string, endpointId: string | undefined): Promise<EndpointRecord> {
  const endpoints = (await listEndpoints(db, tenantId)).filter((e) => e.enabled);
  const endpoint = endpointId ? endpoints.find((e) => e.id === endpointId) : endpoints[0];
  if (endpoint) return endpoint;
  if (endpointId) throw new AppError("not_found_error", "endpoint_not_found", "No enabled endpoint with this id in your workspace.");
  throw new AppError(
    "invalid_request_error",
    "no_endpoint",
    "Add an enabled endpoint first: a test call pays for one of your endpoints, at its price.",
  );
}

export async function runTestCall(
  db: Db,
  actorUserId: string,
  tenantId: string,
  input: { endpointId?: string } = {},
  context: RequestContext = {},
): Promise<TestCallResult> {
  await requireMembership(db, actorUserId, tenantId, "test-calls:run");
  const endpoint = await pickEndpoint(db, tenantId, input.endpointId);
  const label = `${endpoint.method} ${endpoint.path}`;
  const path = samplePath(endpoint.path);
  const apiKey = await ensureTestCallKey(db, tenantId);

  const handler = withL402(
    (request: Request) =>
      Response.json({ ok: true, message: "Your handler ran: this call was paid for.", endpoint: getL402(request)?.endpoint ?? label }),
    { apiKey, baseUrl: IN_PROCESS_SERVICE, fetch: inProcessFetch, endpoint: label, paymentPage: false, logger: false, timeoutMs: 10_000 },
  );
  const call = (authorization?: string) =>
    handler(
      new Request(OWNER_API + path, {
        method: endpoint.method,
        headers: { accept: "application/json", ...(authorization ? { authorization } : {}) },
      }),
    );

  // 1. No credential: 402 with an invoice.
  const first = await call();
  const challengeBody = (await readJson(first)) as { invoice?: string; macaroon?: string; paymentHash?: string; priceSats?: number };
  if (first.status !== 402 || !challengeBody.invoice || !challengeBody.macaroon || !challengeBody.paymentHash) {
    throw unexpected("an unpaid call", first.status, challengeBody);
  }
  const issued = await db.invoice.findFirst({ where: { paymentHash: challengeBody.paymentHash, tenantId }, select: { mode: true } });
  if (issued?.mode !== "test") throw new AppError("api_error", "test_call_failed", "The test call's invoice is not a test-mode invoice.");

  // 2. The dev wallet pays it and learns the preimage.
  const paid = await paySimulatedInvoice(db, challengeBody.invoice);

  // 3. The same call with the credential: verified, settled, served.
  const second = await call(`L402 ${challengeBody.macaroon}:${paid.preimage}`);
  const answerBody = await readJson(second);
  if (second.status !== 200) throw unexpected("the paid call", second.status, answerBody);

  const amountSats = Number(paid.amountMsat / 1000n);
  await recordAudit(db, {
    action: "test_call.made",
    tenantId,
    actorUserId,
    target: label,
    metadata: { paymentHash: paid.paymentHash, amountSats },
    ...context,
  });
  return {
    endpoint: label,
    path,
    challenge: {
      status: first.status,
      wwwAuthenticate: first.headers.get("www-authenticate") ?? "",
      invoice: challengeBody.invoice,
      paymentHash: challengeBody.paymentHash,
      amountSats: challengeBody.priceSats ?? amountSats,
    },
    payment: { preimage: paid.preimage, paymentHash: paid.paymentHash, amountSats },
    answer: { status: second.status, body: answerBody },
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}

function unexpected(what: string, status: number, body: unknown): AppError {
  const error = (body as { error?: unknown; message?: unknown } | null)?.error;
  const detail =
    typeof error === "object" && error && typeof (error as { message?: unknown }).message === "string"
      ? (error as { message: string }).message
      : typeof error === "string"
        ? error
        : "";
  return new AppError("api_error", "test_call_failed", `The test call failed: ${what} answered ${status}${detail ? ` (${detail})` : ""}.`, {
    status: 502,
  });
}
