// The request a log line belongs to. server.ts opens a context per HTTP request (the id is
// also the x-request-id the Hono app answers with), so every line logged while serving it,
// however deep, carries the same requestId without passing it around.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

interface RequestScope {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

// A client-sent id is kept only if it looks like one (it goes into logs and headers); the
// same rule as hono/request-id's, so both layers keep or replace the same ids.
const CLIENT_ID = /^[\w\-=]{1,255}$/;

export function requestIdFor(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && CLIENT_ID.test(value) ? value : randomUUID();
}

export function withRequestScope<T>(requestId: string, run: () => T): T {
  return storage.run({ requestId }, run);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
