// The one logger: pino, JSON lines (LOG_FORMAT=json, the default in production) or one
// readable line per event (LOG_FORMAT=text, the default elsewhere). Every line logged for a
// request carries its id (lib/log/context.ts): passed explicitly by the access line and the
// API (lib/api/request-log.ts), added here from the log scope while Next serves a request,
// as the job id is in the worker (lib/log/scope.ts). Secrets never reach the output: fields
// that hold them are censored here, and every byte the process writes is filtered again by
// lib/http/log-redaction.ts (keys, credentials, preimages, invitation tokens inside
// messages).
import pino from "pino";
import { redactSecrets } from "../http/log-redaction";
import { type LogFields, scopedLogFields } from "./scope";

// Censored by name wherever a log call puts them (one level deep too, for request bodies
// and headers). Named paths only: pino's wildcard paths cost ~10× per line (measured, 7 µs
// against 0.7), and secrets inside other values are caught by redactSecrets' patterns.
export const REDACTED_FIELDS = [
  "authorization",
  "password",
  "apiKey",
  "preimage",
  "macaroon",
  "token",
  "secret",
  "cookie",
  "body.password",
  "body.preimage",
  "body.authorization",
  "headers.authorization",
  "headers.cookie",
  "err.config.headers.authorization",
];
const NO_FIELDS: LogFields = Object.freeze({});
const LEVEL_NAMES: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/** `12:00:01 error [api] message key=value ...`: for people reading a terminal. */
function textLine(json: string): string {
  const { time, level, msg, component, requestId, err, ...rest } = JSON.parse(json) as Record<string, unknown>;
  const clock = new Date(Number(time)).toISOString().slice(11, 19);
  const fields = Object.entries(rest)
    .filter(([name]) => name !== "service")
    .map(([name, value]) => `${name}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  if (requestId) fields.push(`request=${requestId}`);
  const stack = err && typeof err === "object" && "stack" in err ? `\n${String((err as { stack: unknown }).stack)}` : "";
  const tag = component && component !== "console" ? `[${component}] ` : "";
  return `${clock} ${LEVEL_NAMES[Number(level)] ?? level} ${tag}${msg ?? ""}${fields.length ? ` ${fields.join(" ")}` : ""}${stack}\n`;
}

/** Where lines go: warnings and errors to stderr, the rest to stdout, as console does;
 *  with LOG_FILE set, every line to that file as well (redacted like the output). Outside
 *  tests the writes are asynchronous (pino's sonic-boom: a line waiting on the pipe never
 *  holds up a request, and lines written meanwhile go out together) and flushed at exit. */
function destination(): pino.DestinationStream {
  const format = process.env.LOG_FORMAT ?? (process.env.NODE_ENV === "production" ? "json" : "text");
  const sync = process.env.NODE_ENV === "test";
  const stream = (fd: 1 | 2) =>
    sync
      ? { write: (text: string) => (fd === 1 ? process.stdout : process.stderr).write(text) }
      : // Info lines (one per request) are written 4 KiB at a time, and at least every
        // 200 ms: a write per line was a syscall per request (~3% of the hot path's CPU,
        // bench/README.md). A SIGKILL can lose up to 200 ms of them; warnings and errors
        // (stderr) still go out one by one, as soon as they are logged.
        pino.destination(fd === 1 ? { dest: fd, sync: false, minLength: 4096, periodicFlush: 200 } : { dest: fd, sync: false });
  const out = stream(1);
  const err = stream(2);
  const file = process.env.LOG_FILE ? pino.destination({ dest: process.env.LOG_FILE, append: true, sync, mkdir: true }) : undefined;
  if (!sync) {
    process.once("exit", () => {
      for (const boom of [out, err, file]) (boom as { flushSync?: () => void } | undefined)?.flushSync?.();
    });
  }
  return {
    write(line: string) {
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 30);
      const text = redactSecrets(format === "json" ? line : textLine(line));
      (level >= 40 ? err : out).write(text);
      file?.write(text);
    },
  };
}

export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: "tollbooth" },
    redact: { paths: REDACTED_FIELDS, censor: "[redacted]" },
    serializers: { err: pino.stdSerializers.err },
    // The scope's fields (lib/log/scope.ts) under the line's own; outside a scope (always,
    // in the API-only process) the line is passed on as it is, nothing allocated.
    mixin: () => scopedLogFields() ?? NO_FIELDS,
    mixinMergeStrategy: (line, fields) => (fields === NO_FIELDS ? line : { ...fields, ...line }),
  },
  destination(),
);

/** A logger for one part of the system (`component` on every line). */
export function componentLogger(component: string): pino.Logger {
  return logger.child({ component });
}
