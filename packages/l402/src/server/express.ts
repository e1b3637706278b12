/**
 * l402() for Express and Connect (and plain node:http, which has the same req/res).
 * The request and response types are structural, so there is no express dependency:
 * anything with these members works.
 */
import { Gate } from "./gate.js";
import type { L402Options, L402Payment } from "./options.js";
import { BALANCE_HEADER, meter } from "./metered.js";
import { describeError } from "./redact.js";
import type { PlainResponse } from "./responses.js";

export interface NodeRequestLike {
  method?: string;
  url?: string;
  /** Express: the URL before routers stripped their mount path. */
  originalUrl?: string;
  /** Express: the router's mount path. */
  baseUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Express: the matched route, e.g. { path: "/users/:id" }. */
  route?: { path?: unknown };
  /** Express: the client's address, following the app's `trust proxy` setting. */
  ip?: string;
  socket?: { remoteAddress?: string };
  /** Set by l402() before your handler runs, when the call was paid. */
  l402?: L402Payment;
}

export interface NodeResponseLike {
  statusCode: number;
  headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
  on(event: "finish", listener: () => void): unknown;
}

export type NextFunctionLike = (error?: unknown) => void;

export interface NodeL402Options extends L402Options {
  /**
   * The paying client's IP, forwarded so the service gives each payer its own budget of
   * unpaid calls. When it gives nothing: `req.ip` (Express: follows your `trust proxy`
   * setting), else the socket's address.
   */
  payerIp?: (req: NodeRequestLike) => string | undefined;
}

function header(req: NodeRequestLike, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function pathOf(req: NodeRequestLike): string {
  const url = req.originalUrl ?? req.url ?? "/";
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}

/**
 * The pattern this middleware protects, from the code, never from the payer's path (a
 * payer must not be able to make endpoints): inside app.get("/users/:id", l402(), …) the
 * matched route; under app.use("/premium", l402()) the mount, `/premium` itself or
 * `/premium/*` below it. Only plain string routes are used as patterns.
 */
function declaredPattern(req: NodeRequestLike): string {
  const mount = typeof req.baseUrl === "string" ? req.baseUrl.replace(/\/+$/, "") : "";
  const route = req.route?.path;
  if (typeof route === "string" && /^\/[^*?()[\]{}]*$/.test(route)) return `${mount}${route}`.replace(/\/+$/, "") || "/";
  const below = (req.url ?? "/").split("?")[0] ?? "/";
  if (typeof req.baseUrl !== "string" && req.originalUrl === undefined) return below === "/" ? "/" : "/*"; // plain node:http: no mount known
  return below === "/" || below === "" ? mount || "/" : `${mount}/*`;
}

export function sendPlain(res: NodeResponseLike, plain: PlainResponse): void {
  if (res.headersSent) return;
  res.statusCode = plain.status;
  for (const [name, value] of Object.entries(plain.headers)) res.setHeader(name, value);
  res.end(plain.body);
}

/**
 * Express/Connect middleware. `app.get("/premium", l402({ priceSats: 10 }), handler)`;
 * the handler reads `req.l402`. A handler that answers 5xx (including through Express's
 * error handler after a throw or next(err)) has the use released.
 */
export function l402(options: NodeL402Options = {}) {
  const gate = new Gate(options);
  return function l402Middleware(req: NodeRequestLike, res: NodeResponseLike, next: NextFunctionLike): void {
    const method = (req.method ?? "GET").toUpperCase();
    const path = pathOf(req);
    gate
      .check({
        method,
        path,
        endpoint: gate.endpointName(method, path, declaredPattern(req)),
        authorization: header(req, "authorization"),
        accept: header(req, "accept"),
        payerIp: options.payerIp?.(req) ?? req.ip ?? req.socket?.remoteAddress,
        url: req.originalUrl ?? req.url ?? path,
      })
      .then((outcome) => {
        if (outcome.kind === "respond") return sendPlain(res, outcome.response);
        const payment = outcome.payment;
        if (payment?.reservedMsat !== undefined) {
          // Metered: the header says the balance after what the handler has charged so far.
          const setBalance = (balance?: string) => balance && !res.headersSent && res.setHeader(BALANCE_HEADER, balance);
          const call = meter(payment, options.msatPerUnit, setBalance);
          req.l402 = payment;
          // Settled before the answer goes out, so its balance header is exact: the next call
          // from the same payer sees this charge applied.
          const end = res.end.bind(res);
          res.end = (...args: Parameters<typeof end>) => {
            void gate.settle(payment, call, res.statusCode >= 500).then((balance) => {
              setBalance(balance);
              end(...args);
            });
            return res;
          };
        } else if (payment) {
          req.l402 = payment;
          let reported = false;
          // 'finish' fires once the answer is handed to the OS: release never delays it.
          res.on("finish", () => {
            if (reported || res.statusCode < 500) return;
            reported = true;
            void gate.release(payment, res.statusCode, `handler answered ${res.statusCode}`);
          });
        }
        next();
      })
      .catch((error: unknown) => {
        // Only a bug (ours, or a synchronous throw from a stack that does not catch its own):
        // hand it to the framework's error handler, whose 5xx answer triggers the release.
        gate.config.logger.warn(`l402 middleware error: ${describeError(error)}`);
        next(error);
      });
  };
}
