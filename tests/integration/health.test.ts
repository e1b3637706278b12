import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createApiApp } from "../../lib/api/app";
import { createDb, setDb } from "../../lib/db/client";
import { MIGRATIONS_DIR } from "../../lib/db/migrate";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  setDb(t.db);
  await t.drop();
});

describe("GET /api/health", () => {
  it("answers 200 with every part ok and a request id", async () => {
    const response = await createApiApp().request("/api/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toMatchObject({ status: "ok", db: "ok", migrations: "up to date", lightning: "simulated" });
  });

  it("answers 503 naming pending migrations", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-health-"));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(path.join(dir, "29990101000000_future"));
    writeFileSync(path.join(dir, "29990101000000_future", "migration.sql"), "SELECT 1;");
    vi.stubEnv("MIGRATIONS_DIR", dir);
    vi.resetModules();
    const { createApiApp: freshApp } = await import("../../lib/api/app");
    const { setDb: freshSetDb } = await import("../../lib/db/client");
    freshSetDb(t.db);
    const response = await freshApp().request("/api/health");
    vi.unstubAllEnvs();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "degraded", db: "ok", migrations: "1 pending: 29990101000000_future" });
  });

  it("answers 503 naming the database when it is unreachable", async () => {
    setDb(createDb("postgresql://postgres@127.0.0.1:1/nowhere", 1));
    const response = await createApiApp().request("/api/health");
    setDb(t.db);
    expect(response.status).toBe(503);
    expect((await response.json()).db).toMatch(/^unreachable/);
  });

  it("answers unknown API routes with the standard error shape", async () => {
    const response = await createApiApp().request("/api/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { type: "not_found_error", code: "route_not_found", message: "No route for GET /api/v1/nothing-here." },
    });
  });

  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const doc = await (await createApiApp().request("/api/v1/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/health"].get.responses).toHaveProperty("503");
    expect(doc.components.schemas.Health.properties).toHaveProperty("migrations");
  });
});
