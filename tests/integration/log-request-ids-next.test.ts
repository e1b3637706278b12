// The full server (Next + API, Next in development mode): a line Next logs while it serves a
// page, here the page's own failure, carries the request's id, the x-request-id the answer
// went out with; two pages served at once each get their own. The page fails because the
// database is unreachable (DATABASE_URL points at a closed port), as an operator sees it.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

let server: Server;
let base: string;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  vi.stubEnv("LOG_FORMAT", "json");
  vi.stubEnv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/unreachable");
  vi.stubEnv("NEXT_TELEMETRY_DISABLED", "1");
  // The logger writes each line with one call (synchronously in tests); Next's development
  // request summaries are written past it, not as JSON, and are left out here.
  const keep = (chunk: unknown) => {
    for (const text of String(chunk).split("\n")) {
      if (text.startsWith("{")) lines.push(JSON.parse(text));
    }
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(keep);
  vi.spyOn(process.stderr, "write").mockImplementation(keep);
  const { startServer } = await import("../../server");
  // Next's development mode as `npm run dev` runs it (under NODE_ENV=test it rewrites
  // tsconfig.json); the logger, loaded above, keeps writing synchronously for the capture.
  vi.stubEnv("NODE_ENV", "development");
  server = await startServer({ port: 0, hostname: "127.0.0.1", dev: true });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await new Promise((resolve) => server?.close(resolve));
});

const invitation = (requestId?: string) =>
  fetch(`${base}/invite/${"a".repeat(32)}`, { headers: requestId ? { "x-request-id": requestId } : {} }).then(async (response) => {
    await response.text();
    return response;
  });

describe("request ids on the lines Next logs (full server)", () => {
  it("the page's failure is logged with the id the answer carries", async () => {
    lines.length = 0;
    // The first request also compiles the page (several seconds).
    const response = await invitation();
    expect(response.status).toBe(500);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const failure = lines.find((line) => line.component === "console" && line.level === 50 && line.err);
    expect(failure, "Next's error line for the failed page").toBeDefined();
    expect(failure?.requestId).toBe(requestId);
    // Every line logged by or through Next meanwhile (compiling, warnings) has it too.
    const nextLines = lines.filter((line) => line.component === "console");
    expect(nextLines.filter((line) => line.requestId !== requestId)).toEqual([]);
  }, 90_000);

  it("two pages served at once: each line has its own request's id", async () => {
    lines.length = 0;
    const [first, second] = await Promise.all([invitation("page-one"), invitation("page-two")]);
    expect([first.headers.get("x-request-id"), second.headers.get("x-request-id")]).toEqual(["page-one", "page-two"]);
    const failures = lines.filter((line) => line.component === "console" && line.level === 50 && line.err);
    expect(failures.map((line) => line.requestId).sort()).toEqual(["page-one", "page-two"]);
    const access = lines.filter((line) => line.component === "http").map((line) => line.requestId);
    expect(access.sort()).toEqual(["page-one", "page-two"]);
  }, 30_000);
});
