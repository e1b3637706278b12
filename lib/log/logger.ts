// The one logger: pino, JSON lines (LOG_FORMAT=json, the default in production) or one
// readable line per event (LOG_FORMAT=text, the default elsewhere). Every line carries the
// request id of the request being served (lib/log/context.ts). Secrets never reach the
// output: fields that hold them are censored here, and every byte the process writes is
// filtered again by lib/http/log-redaction.ts (keys, credentials, preimages, invitation
// tokens inside messages).
import { openSync, writeSync } from "node:fs";
import pino from "pino";
import { redactSecrets } from "../http/log-redaction";
import { currentRequestId } from "./context";

export const REDACTED_FIELDS = [
  "authorization",
  "password",
  "apiKey",
  "key",
  "preimage",
  "macaroon",
  "token",
  "secret",
  "*.authorization",
  "*.password",
  "*.apiKey",
  "*.preimage",
  "*.macaroon",
  "*.token",
  "*.secret",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
];

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

/** Warnings and errors to stderr, the rest to stdout, as console does; with LOG_FILE set,
 *  every line is appended to that file as well (redacted like the output). */
function destination(): pino.DestinationStream {
  const format = process.env.LOG_FORMAT ?? (process.env.NODE_ENV === "production" ? "json" : "text");
  const file = process.env.LOG_FILE ? openSync(process.env.LOG_FILE, "a") : undefined;
  return {
    write(line: string) {
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 30);
      const text = redactSecrets(format === "json" ? line : textLine(line));
      (level >= 40 ? process.stderr : process.stdout).write(text);
      if (file !== undefined) writeSync(file, text);
    },
  };
}

export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: "tollbooth" },
    redact: { paths: REDACTED_FIELDS, censor: "[redacted]" },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    serializers: { err: pino.stdSerializers.err },
  },
  destination(),
);

/** A logger for one part of the system (`component` on every line). */
export function componentLogger(component: string): pino.Logger {
  return logger.child({ component });
}
