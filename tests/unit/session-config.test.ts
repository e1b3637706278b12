// Sessions expire after SESSION_MAX_AGE_HOURS: the JWT and the session share that age.
import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("session expiry", () => {
  it("defaults to 24 hours", async () => {
    const { authOptions } = await import("../../lib/auth/options");
    expect(authOptions.session).toMatchObject({ strategy: "jwt", maxAge: 86_400 });
    expect(authOptions.jwt?.maxAge).toBe(86_400);
  });

  it("follows SESSION_MAX_AGE_HOURS", async () => {
    vi.stubEnv("SESSION_MAX_AGE_HOURS", "2");
    const { authOptions } = await import("../../lib/auth/options");
    expect(authOptions.session?.maxAge).toBe(7_200);
    expect(authOptions.jwt?.maxAge).toBe(7_200);
  });
});
