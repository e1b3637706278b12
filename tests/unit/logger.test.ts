// The logger: JSON lines, the log scope's fields (the request id of the Next request being
// served, the worker's job id) on each line logged inside it, secrets censored by field and
// inside messages, warnings and errors on stderr.
import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function capture(
  run: (modules: {
    logger: typeof import("../../lib/log/logger");
    context: typeof import("../../lib/log/context");
    scope: typeof import("../../lib/log/scope");
  }) => void,
) {
  vi.stubEnv("LOG_FORMAT", "json");
  vi.stubEnv("LOG_LEVEL", "info");
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const logger = await import("../../lib/log/logger");
  const context = await import("../../lib/log/context");
  const scope = await import("../../lib/log/scope");
  run({ logger, context, scope });
  vi.restoreAllMocks();
  return { out: out.map((line) => JSON.parse(line)), err: err.map((line) => JSON.parse(line)) };
}

describe("logger", () => {
  it("one id per request: the client's when safe, stamped into both views of the headers", async () => {
    const { stampRequestId } = await import("../../lib/log/context");
    const kept = {
      headers: { "x-request-id": "abc-123_XYZ=" } as Record<string, string | string[] | undefined>,
      rawHeaders: ["X-Request-Id", "abc-123_XYZ="],
    };
    expect(stampRequestId(kept)).toBe("abc-123_XYZ=");
    expect(kept.rawHeaders).toEqual(["X-Request-Id", "abc-123_XYZ="]);
    const hostile = {
      headers: { "x-request-id": "x\nFAKE LOG LINE" } as Record<string, string | string[] | undefined>,
      rawHeaders: ["Host", "a", "X-Request-Id", "x\nFAKE LOG LINE"],
    };
    const id = stampRequestId(hostile);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(hostile.headers["x-request-id"]).toBe(id);
    expect(hostile.rawHeaders).toEqual(["Host", "a", "x-request-id", id]);
  });

  it("censors secret fields and secrets inside messages", async () => {
    const key = "tb_test_9s66DTJS5e4yHEx_VGXoyucv5w8LroAP2IKBA5eWB8M";
    const { out } = await capture(({ logger }) => {
      logger
        .componentLogger("api")
        .info({ authorization: `Bearer ${key}`, body: { password: "hunter22", preimage: "ab".repeat(32) } }, `key ${key} used`);
    });
    const text = JSON.stringify(out);
    expect(text).not.toContain(key.slice(8));
    expect(text).not.toContain("hunter22");
    expect(text).not.toContain("ab".repeat(32));
    expect(out[0]).toMatchObject({
      component: "api",
      authorization: "[redacted]",
      body: { password: "[redacted]", preimage: "[redacted]" },
    });
  });

  it("adds the log scope's fields to each line logged inside it, the line's own first; censored as ever", async () => {
    const key = "tb_live_9s66DTJS5e4yHEx_VGXoyucv5w8LroAP2IKBA5eWB8M";
    const { out } = await capture(({ logger, scope }) => {
      const log = logger.componentLogger("console");
      log.info("before");
      scope.runWithLogFields({ requestId: "req-1" }, () => {
        log.info({ password: "hunter22" }, `inside, key ${key}`);
        logger.logger.info({ requestId: "its-own" }, "own id");
      });
      log.info("after");
    });
    expect(out.map(({ msg, requestId, password }) => ({ msg, requestId, password }))).toEqual([
      { msg: "before", requestId: undefined, password: undefined },
      { msg: "inside, key tb_live_[redacted]", requestId: "req-1", password: "[redacted]" },
      { msg: "own id", requestId: "its-own", password: undefined },
      { msg: "after", requestId: undefined, password: undefined },
    ]);
  });

  it("sends warnings and errors to stderr", async () => {
    const { out, err } = await capture(({ logger }) => {
      logger.logger.info("fine");
      logger.logger.warn("careful");
      logger.logger.error({ err: new Error("boom") }, "broken");
    });
    expect(out.map((line) => line.msg)).toEqual(["fine"]);
    expect(err.map((line) => [line.msg, line.err?.message])).toEqual([
      ["careful", undefined],
      ["broken", "boom"],
    ]);
  });

  it("a client's request id is kept only when it is safe to log", async () => {
    const { requestIdFor } = await import("../../lib/log/context");
    expect(requestIdFor("abc-123_XYZ=")).toBe("abc-123_XYZ=");
    for (const hostile of ["a b", "x\nFAKE LOG LINE", "x".repeat(300), "", undefined]) {
      expect(requestIdFor(hostile)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
