/**
 * HTTP plumbing shared by the LND and LNbits adapters: JSON requests whose failures
 * become LightningError with the backend's own words, newline-delimited JSON streams
 * (LND's REST proxy streams server-side gRPC streams that way), and a fetch that trusts
 * one pinned certificate (LND's self-signed tls.cert).
 */

import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { LightningError, type BackendName } from "./backend";

export type FetchFunction = typeof fetch;

export interface JsonRequest {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

/** How long a request without a deadline of its own may take (LIGHTNING_REQUEST_TIMEOUT_MS,
 *  default 10 s): a node that hangs must fail an invoice creation, not hold it forever. */
export function lightningRequestTimeoutMs(): number {
  return Number(process.env.LIGHTNING_REQUEST_TIMEOUT_MS ?? 10_000);
}

/** Sends a request with an optional JSON body; network failures and timeouts become LightningError. */
export async function sendRequest(fetchImpl: FetchFunction, backend: BackendName, url: string, init: JsonRequest): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json", ...init.headers };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const timeoutMs = lightningRequestTimeoutMs();
  const signal = init.signal ?? AbortSignal.timeout(timeoutMs);
  try {
    return await fetchImpl(url, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    });
  } catch (error) {
    if (init.signal?.aborted) throw error; // the caller's own deadline: let it decide what that means
    if (signal.aborted) throw new LightningError(backend, `${init.method} ${pathOf(url)} did not answer within ${timeoutMs} ms`);
    throw new LightningError(backend, `${init.method} ${pathOf(url)} failed: ${describeError(error)}`);
  }
}

/** A request whose 2xx answer is one JSON document; anything else throws LightningError. */
export async function requestJson<T>(fetchImpl: FetchFunction, backend: BackendName, url: string, init: JsonRequest): Promise<T> {
  const response = await sendRequest(fetchImpl, backend, url, init);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new LightningError(backend, `${init.method} ${pathOf(url)} broke off mid-answer: ${describeError(error)}`);
  }
  if (!response.ok) throw errorFromResponse(backend, init.method, url, response.status, text);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new LightningError(
      backend,
      `${init.method} ${pathOf(url)} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      response.status,
    );
  }
}

export function errorFromResponse(backend: BackendName, method: string, url: string, status: number, bodyText: string): LightningError {
  let message = bodyText.trim().slice(0, 500) || "(empty body)";
  try {
    message = errorMessageOf(JSON.parse(bodyText)) ?? message;
  } catch {
    // not JSON: keep the raw text
  }
  return new LightningError(backend, `${method} ${pathOf(url)} answered ${status}: ${message}`, status);
}

/**
 * The human message in the error bodies our backends send: LND's gRPC gateway
 * `{code, message, details}` (and `{error: {...}}` chunks inside streams, or the older
 * `{error: "...", code}`), LNbits/FastAPI `{detail}`.
 */
export function errorMessageOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.message === "string" && record.message) return record.message;
  if (typeof record.detail === "string" && record.detail) return record.detail;
  if (Array.isArray(record.detail)) return JSON.stringify(record.detail); // FastAPI validation errors
  if (typeof record.error === "string" && record.error) return record.error;
  if (typeof record.error === "object") return errorMessageOf(record.error);
  return undefined;
}

/**
 * Reads a body of newline-delimited JSON values, yielding each as it arrives. Blank
 * lines are skipped; a line that is not JSON throws (a proxy's HTML error page, say).
 */
export async function* readJsonLines(response: Response, backend: BackendName): AsyncGenerator<unknown> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffered = "";
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) yield parseLine(line, backend);
      }
    }
    const rest = (buffered + decoder.decode()).trim();
    if (rest) yield parseLine(rest, backend);
  } finally {
    // Stop the transfer if the caller stopped reading early (e.g. took the first update).
    await reader.cancel().catch(() => undefined);
  }
}

function parseLine(line: string, backend: BackendName): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new LightningError(backend, `stream carried a line that is not JSON: ${line.slice(0, 200)}`);
  }
}

/**
 * A fetch for HTTPS servers with a self-signed certificate, such as LND's REST port,
 * trusting exactly `caPem` (the contents of tls.cert). Node's global fetch cannot take a
 * CA without the undici package, which we do not depend on, so this goes through
 * node:https and hands back a standard Response.
 */
export function createPinnedCertFetch(caPem: string): FetchFunction {
  const pinnedFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === "string" || input instanceof URL ? input.toString() : input.url);
      if (url.protocol !== "https:") {
        reject(new Error(`a pinned certificate needs an https URL, got ${url.protocol}`));
        return;
      }
      const headers = new Headers(init.headers);
      const body = typeof init.body === "string" ? init.body : undefined;
      if (init.body != null && body === undefined) {
        reject(new Error("createPinnedCertFetch only sends string bodies"));
        return;
      }
      if (body !== undefined) headers.set("content-length", String(Buffer.byteLength(body)));
      const request = httpsRequest(
        url,
        { method: init.method ?? "GET", headers: Object.fromEntries(headers.entries()), ca: caPem, signal: init.signal ?? undefined },
        (incoming) => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
            else if (value !== undefined) responseHeaders.set(name, value);
          }
          const status = incoming.statusCode ?? 502;
          const nullBody = status === 204 || status === 304 || init.method === "HEAD";
          resolve(
            new Response(nullBody ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
              status,
              statusText: incoming.statusMessage,
              headers: responseHeaders,
            }),
          );
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  return pinnedFetch as FetchFunction;
}

/** Joins a base URL (with or without a trailing slash or a path prefix) and an absolute path. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, "") + path;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
