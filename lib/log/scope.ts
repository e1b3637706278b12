// Fields every log line carries while a piece of work runs, without passing a logger down:
// the request id while Next serves a request (pages, server actions, next-auth, Next's own
// error lines, console output of any library meanwhile), the job id while the worker runs
// a job. An AsyncLocalStorage scope, opened only where its cost is paid anyway or does not
// matter: on Node 20 an enabled AsyncLocalStorage hooks every promise of the process
// (~0.2 ms of CPU per verification on the API, bench/README.md "Issue 10"), and Next runs
// every request it renders in scopes of its own (next/dist/server/app-render/
// *-async-storage), so the full server has the hooks on already; the worker is not the API.
// The API-only process (`--api-only`) never opens one: its lines carry the id explicitly
// (lib/log/access.ts, lib/api/request-log.ts).
// Kept on globalThis: the app code Next bundles has its own copy of lib/log/logger.ts, and
// its lines need the fields too.
import { AsyncLocalStorage } from "node:async_hooks";

export type LogFields = Readonly<Record<string, string | number>>;

const SCOPE = Symbol.for("tollbooth.logScope");
const holder = globalThis as { [SCOPE]?: AsyncLocalStorage<LogFields> };

/** The fields of the scope being run, if any (read by the logger for every line). */
export function scopedLogFields(): LogFields | undefined {
  return holder[SCOPE]?.getStore();
}

/** Whether this process has opened the scope (never in the API-only process). */
export function logScopeOpened(): boolean {
  return holder[SCOPE] !== undefined;
}

/** Runs `work` with `fields` on every line logged until it is done (its callbacks and
 *  promises included). Opens the scope on first use: call it only where the process may
 *  pay for AsyncLocalStorage (see above). */
export function runWithLogFields<T>(fields: LogFields, work: () => T): T {
  holder[SCOPE] ??= new AsyncLocalStorage<LogFields>();
  return holder[SCOPE].run(fields, work);
}
