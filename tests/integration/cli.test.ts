// The operator CLI as an operator runs it: a child process, text or --json output.
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueEmail } from "../helpers/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

// Asynchronous on purpose: on PGlite the test database is served from this very process,
// so a blocking spawn would leave the CLI waiting on a server that cannot answer.
function tollbooth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/tollbooth.ts", ...args],
      { env: { ...process.env, DATABASE_URL: t.url }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("npm run tollbooth", async () => {
  it("prints help listing every command", async () => {
    const { code, stdout } = await tollbooth("--help");
    expect(code).toBe(0);
    for (const command of ["migrate", "seed", "tenant:create", "user:create"]) expect(stdout).toContain(command);
    expect((await tollbooth("user:create", "--help")).stdout).toContain("--email");
  });

  it("refuses unknown commands and flags with exit code 2", async () => {
    expect((await tollbooth("frobnicate")).code).toBe(2);
    const bad = await tollbooth("user:create", "--nope");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--nope");
  });

  it("creates a user and a tenant, in JSON", async () => {
    const email = uniqueEmail("cli");
    const created = await tollbooth("user:create", "--email", email, "--password", "cli password 123", "--json");
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout);
    expect(user).toMatchObject({ email, tenant: { name: `${email.split("@")[0]}'s workspace` } });
    expect(user).not.toHaveProperty("password");

    const tenant = JSON.parse((await tollbooth("tenant:create", "--name", "Second API", "--owner", email, "--json")).stdout);
    expect(tenant).toMatchObject({ name: "Second API", owner: email });
    const memberships = await t.db.membership.findMany({ where: { user: { email } }, include: { tenant: true } });
    expect(memberships.map((m) => [m.tenant.name, m.role]).sort()).toEqual([
      ["Second API", "owner"],
      [`${email.split("@")[0]}'s workspace`, "owner"],
    ]);
  });

  it("generates and prints a password when none is given", async () => {
    const created = JSON.parse((await tollbooth("user:create", "--email", uniqueEmail("gen"), "--json")).stdout);
    expect(created.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("reports bad input clearly and creates nothing", async () => {
    const before = await t.db.user.count();
    const bad = await tollbooth("user:create", "--email", "not-an-email", "--password", "cli password 123");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Enter a valid email address");
    const noOwner = await tollbooth("tenant:create", "--name", "X Y", "--owner", "ghost@example.com", "--json");
    expect(noOwner.code).toBe(1);
    expect(JSON.parse(noOwner.stdout).error.code).toBe("user_not_found");
    expect(await t.db.user.count()).toBe(before);
  });

  it("migrates and seeds idempotently", async () => {
    expect((await tollbooth("migrate")).stdout).toContain("Database is up to date.");
    const first = JSON.parse((await tollbooth("seed", "--json")).stdout);
    const second = JSON.parse((await tollbooth("seed", "--json")).stdout);
    expect(first).toMatchObject({ created: true, email: "demo@tollbooth.dev" });
    expect(second).toMatchObject({ created: false, tenantId: first.tenantId });
  });
});
