// The API-key lookup cache is bounded: every well-formed key presented is cached (unknown
// ones too, as "not a key"), so without a bound a caller sending random keys grows the
// process's memory without end.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Read when lib/api/auth.ts loads: set before the imports below run.
vi.hoisted(() => {
  process.env.API_KEY_CACHE_MAX = "5";
});

import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { apiKeyCacheSize, resetApiAuthState } from "../../lib/api/auth";

let t: TestDatabase;
let app: Api;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  resetApiAuthState();
});
afterAll(async () => {
  delete process.env.API_KEY_CACHE_MAX;
  await t.drop();
});

const randomKey = () => `tb_test_${randomBytes(32).toString("base64url")}`;
const listEndpoints = (key: string) => call(app, "GET", "/api/v1/endpoints", { key });

describe("the API-key cache", () => {
  it("never holds more than API_KEY_CACHE_MAX lookups, and real keys keep working", async () => {
    const { key } = await tenantWithKey(t.db);
    expect((await listEndpoints(key)).status).toBe(200);
    for (let i = 0; i < 30; i++) {
      expect((await listEndpoints(randomKey())).body.error.code).toBe("invalid_api_key");
      expect(apiKeyCacheSize()).toBeLessThanOrEqual(5);
    }
    expect(apiKeyCacheSize()).toBe(5);
    // The real key was pushed out by the flood; it is looked up again and still works.
    expect((await listEndpoints(key)).status).toBe(200);
    expect(apiKeyCacheSize()).toBe(5);
  });
});
