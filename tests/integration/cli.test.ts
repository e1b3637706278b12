// The operator CLI as an operator runs it: a child process, text or --json output.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueEmail } from "../helpers/factories";

let t: TestDatabase;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => { await t.drop(); });

function tollbooth(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/tollbooth.ts", ...args], {
    env: { ...process.env, DATABASE_URL: t.url },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run tollbooth", () => {
  it("prints help listing every command", () => {
    const { code, stdout } = tollbooth("--help");
    expect(code).toBe(0);
    for (const command of ["migrate", "seed", "tenant:create", "user:create"]) expect(stdout).toContain(command);
    expect(tollbooth("user:create", "--help").stdout).toContain("--email");
  });

  it("refuses unknown commands and flags with exit code 2", () => {
    expect(tollbooth("frobnicate").code).toBe(2);
    const bad = tollbooth("user:create", "--nope");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--nope");
  });

  it("creates a user and a tenant, in JSON", async () => {
    const email = uniqueEmail("cli");
    const created = tollbooth("user:create", "--email", email, "--password", "cli password 123", "--json");
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout);
    expect(user).toMatchObject({ email, tenant: { name: `${email.split("@")[0]}'s workspace` } });
    expect(user).not.toHaveProperty("password");

    const tenant = JSON.parse(tollbooth("tenant:create", "--name", "Second API", "--owner", email, "--json").stdout);
    expect(tenant).toMatchObject({ name: "Second API", owner: email });
    const memberships = await t.db.membership.findMany({ where: { user: { email } }, include: { tenant: true } });
    expect(memberships.map((m) => [m.tenant.name, m.role]).sort()).toEqual([["Second API", "owner"], [`${email.split("@")[0]}'s workspace`, "owner"]]);
  });

  it("generates and prints a password when none is given", () => {
    const created = JSON.parse(tollbooth("user:create", "--email", uniqueEmail("gen"), "--json").stdout);
    expect(created.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("reports bad input clearly and creates nothing", async () => {
    const before = await t.db.user.count();
    const bad = tollbooth("user:create", "--email", "not-an-email", "--password", "cli password 123");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Enter a valid email address");
    const noOwner = tollbooth("tenant:create", "--name", "X Y", "--owner", "ghost@example.com", "--json");
    expect(noOwner.code).toBe(1);
    expect(JSON.parse(noOwner.stdout).error.code).toBe("user_not_found");
    expect(await t.db.user.count()).toBe(before);
  });

  it("migrates and seeds idempotently", () => {
    expect(tollbooth("migrate").stdout).toContain("Database is up to date.");
    const first = JSON.parse(tollbooth("seed", "--json").stdout);
    const second = JSON.parse(tollbooth("seed", "--json").stdout);
    expect(first).toMatchObject({ created: true, email: "demo@tollbooth.dev" });
    expect(second).toMatchObject({ created: false, tenantId: first.tenantId });
  });
});
