import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { authenticate } from "../../lib/auth/sign-in";
import { checkThrottle, DEFAULT_THROTTLE, purgeStaleThrottles, recordFailure } from "../../lib/auth/throttle";
import { ownerWithTenant, PASSWORD, uniqueEmail } from "../helpers/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const ctx = (ip: string) => ({ ip, userAgent: "vitest" });

describe("sign-in", () => {
  it("accepts the right password (email in any case) and audits it", async () => {
    const { user, email } = await ownerWithTenant(t.db);
    const signedIn = await authenticate(t.db, { email: email.toUpperCase(), password: PASSWORD }, ctx("198.51.100.1"));
    expect(signedIn).toEqual({ id: user.id, email, name: null });
    expect(await t.db.auditEvent.count({ where: { action: "auth.sign_in", actorUserId: user.id, ip: "198.51.100.1" } })).toBe(1);
  });

  it("refuses a wrong password or unknown email with the same message, and audits both", async () => {
    const { email } = await ownerWithTenant(t.db);
    await expect(authenticate(t.db, { email, password: "wrong password!" }, ctx("198.51.100.2"))).rejects.toMatchObject({
      code: "wrong_credentials",
      message: "Wrong email or password.",
    });
    const unknown = uniqueEmail("nobody");
    await expect(authenticate(t.db, { email: unknown, password: "wrong password!" }, ctx("198.51.100.2"))).rejects.toMatchObject({
      code: "wrong_credentials",
      message: "Wrong email or password.",
    });
    expect(await t.db.auditEvent.count({ where: { action: "auth.sign_in_failed", target: { in: [email, unknown] } } })).toBe(2);
  });

  it("rejects malformed input without touching the throttle", async () => {
    await expect(authenticate(t.db, { email: "", password: "" }, ctx("198.51.100.3"))).rejects.toMatchObject({
      code: "invalid_credentials_input",
    });
    expect(await t.db.signInThrottle.count({ where: { subject: "ip:198.51.100.3" } })).toBe(0);
  });

  it("slows, then locks an email after repeated failures, even for the right password, until the lock expires", async () => {
    const { email } = await ownerWithTenant(t.db);
    const ip = "198.51.100.4";
    for (let i = 1; i < DEFAULT_THROTTLE.lockAfterEmail; i++) {
      await expect(authenticate(t.db, { email, password: "wrong password!" }, ctx(ip))).rejects.toMatchObject({
        code: "wrong_credentials",
      });
    }
    const slowed = await checkThrottle(t.db, [`email:${email}`]);
    expect(slowed).toEqual({ allowed: true, delayMs: expect.any(Number) });
    expect((slowed as { delayMs: number }).delayMs).toBeGreaterThan(0);

    await expect(authenticate(t.db, { email, password: "wrong password!" }, ctx(ip))).rejects.toMatchObject({ code: "sign_in_locked" });
    const locked = await authenticate(t.db, { email, password: PASSWORD }, ctx(ip)).catch((e) => e);
    expect(locked.code).toBe("sign_in_locked");
    expect(locked.message).toMatch(/Too many failed sign-ins.*try again in 15 minutes/);
    expect(await t.db.auditEvent.count({ where: { action: "auth.sign_in_locked", target: email } })).toBe(1);

    // Time passes: the lock lapses and the right password works, clearing the counter.
    await t.db.signInThrottle.update({
      where: { subject: `email:${email}` },
      data: { lockedUntil: new Date(Date.now() - 1000), firstFailedAt: new Date(Date.now() - 3_600_000) },
    });
    await expect(authenticate(t.db, { email, password: PASSWORD }, ctx(ip))).resolves.toMatchObject({ email });
    expect(await t.db.signInThrottle.findUnique({ where: { subject: `email:${email}` } })).toBeNull();
  });

  it("locks an IP that sprays many accounts", async () => {
    const ip = "198.51.100.5";
    const policy = { ...DEFAULT_THROTTLE, lockAfterIp: 3 };
    for (let i = 0; i < 3; i++) await recordFailure(t.db, [`email:${uniqueEmail()}`, `ip:${ip}`], new Date(), policy);
    const verdict = await checkThrottle(t.db, [`email:${uniqueEmail()}`, `ip:${ip}`]);
    expect(verdict.allowed).toBe(false);
  });

  it("counts concurrent failures without losing any", async () => {
    const subject = `email:${uniqueEmail()}`;
    const policy = { ...DEFAULT_THROTTLE, lockAfterEmail: 1000 };
    await Promise.all(Array.from({ length: 10 }, () => recordFailure(t.db, [subject], new Date(), policy)));
    expect((await t.db.signInThrottle.findUniqueOrThrow({ where: { subject } })).failures).toBe(10);
  });

  it("purges counters that can no longer matter", async () => {
    const old = new Date(Date.now() - 2 * DEFAULT_THROTTLE.windowMs);
    await t.db.signInThrottle.create({ data: { subject: "email:stale@example.com", failures: 2, firstFailedAt: old } });
    expect(await purgeStaleThrottles(t.db)).toBeGreaterThanOrEqual(1);
    expect(await t.db.signInThrottle.findUnique({ where: { subject: "email:stale@example.com" } })).toBeNull();
  });
});
