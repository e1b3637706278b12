import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { authenticate } from "../../lib/auth/sign-in";
import { requestContext } from "../../lib/auth/request-context";
import { stampClientIp } from "../../lib/http/client-ip";
import { addressBlock, DEFAULT_THROTTLE, purgeStaleThrottles, reserveAttempt } from "../../lib/auth/throttle";
import { ownerWithTenant, PASSWORD, uniqueEmail } from "../helpers/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const ctx = (ip: string) => ({ ip, userAgent: "vitest" });
// The same limits without the waits, for tests that make many attempts.
const noWaits = { ...DEFAULT_THROTTLE, slowdownMs: 0 };
const pairSubject = (ip: string, email: string) => `pair:${addressBlock(ip)}|${email}`;
const wrong = (email: string, ip: string, policy = noWaits) =>
  authenticate(t.db, { email, password: "wrong password!" }, ctx(ip), policy).catch((error) => error.code as string);

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

  it("slows, then locks an (email, IP) pair after repeated failures, even for the right password, until the lock expires", async () => {
    const { email } = await ownerWithTenant(t.db);
    const ip = "198.51.100.4";
    for (let i = 1; i < DEFAULT_THROTTLE.lockAfterPair; i++) {
      await expect(authenticate(t.db, { email, password: "wrong password!" }, ctx(ip))).rejects.toMatchObject({
        code: "wrong_credentials",
      });
    }
    const slowed = await reserveAttempt(t.db, uniqueEmail(), ip);
    expect(slowed.allowed && slowed.delayMs).toBeGreaterThan(0);

    await expect(authenticate(t.db, { email, password: "wrong password!" }, ctx(ip))).rejects.toMatchObject({ code: "sign_in_locked" });
    const locked = await authenticate(t.db, { email, password: PASSWORD }, ctx(ip)).catch((e) => e);
    expect(locked.code).toBe("sign_in_locked");
    expect(locked.message).toMatch(/Too many failed sign-ins.*this account is locked.*try again in 15 minutes/);
    expect(await t.db.auditEvent.count({ where: { action: "auth.sign_in_locked", target: email } })).toBe(1);

    // Time passes: the lock lapses and the right password works, clearing the pair's counter.
    await t.db.signInThrottle.update({
      where: { subject: pairSubject(ip, email) },
      data: { lockedUntil: new Date(Date.now() - 1000), firstFailedAt: new Date(Date.now() - 3_600_000) },
    });
    await expect(authenticate(t.db, { email, password: PASSWORD }, ctx(ip))).resolves.toMatchObject({ email });
    expect(await t.db.signInThrottle.findUnique({ where: { subject: pairSubject(ip, email) } })).toBeNull();
  });

  it.runIf(usingRealPostgres)(
    "24 parallel wrong guesses against a limit of 5: exactly 5 passwords are evaluated (real Postgres)",
    async () => {
      const { email } = await ownerWithTenant(t.db);
      expect(DEFAULT_THROTTLE.lockAfterPair).toBe(5);
      const codes = await Promise.all(Array.from({ length: 24 }, () => wrong(email, "198.51.100.40", DEFAULT_THROTTLE)));
      expect(await t.db.auditEvent.count({ where: { action: "auth.sign_in_failed", target: email } })).toBe(5);
      expect(codes.filter((code) => code === "sign_in_locked")).toHaveLength(20); // 19 refused + the 5th failure
      // And it stays locked for that address.
      expect(await wrong(email, "198.51.100.40")).toBe("sign_in_locked");
    },
  );

  it("a spray from one IP over many emails does not lock a user who signs in from another IP", async () => {
    const { email: victim } = await ownerWithTenant(t.db);
    const sprayer = "203.0.113.77";
    for (let round = 0; round < 6; round++) {
      for (const email of [victim, uniqueEmail("sprayed"), uniqueEmail("sprayed")]) await wrong(email, sprayer);
    }
    await expect(authenticate(t.db, { email: victim, password: PASSWORD }, ctx("198.51.100.41"), noWaits)).resolves.toMatchObject({
      email: victim,
    });
    // From the spraying address, that account stays locked.
    await expect(authenticate(t.db, { email: victim, password: PASSWORD }, ctx(sprayer), noWaits)).rejects.toMatchObject({
      code: "sign_in_locked",
    });
  });

  it("locks an IP that sprays many accounts, for that IP only", async () => {
    const ip = "198.51.100.5";
    const policy = { ...noWaits, lockAfterIp: 3 };
    for (let i = 0; i < 3; i++) expect(await wrong(uniqueEmail(), ip, policy)).toBe(i < 2 ? "wrong_credentials" : "sign_in_locked");
    const { email } = await ownerWithTenant(t.db);
    const refused = await authenticate(t.db, { email, password: PASSWORD }, ctx(ip), policy).catch((e) => e);
    expect(refused).toMatchObject({ code: "sign_in_locked", message: expect.stringContaining("from your network") });
    await expect(authenticate(t.db, { email, password: PASSWORD }, ctx("198.51.100.6"), policy)).resolves.toMatchObject({ email });
  });

  it("rotating X-Forwarded-For behind TRUST_PROXY=1 does not give a spray fresh counters", async () => {
    const policy = { ...noWaits, lockAfterIp: 4 };
    const codes: string[] = [];
    for (let i = 1; i <= 6; i++) {
      // What server.ts does with each request: the client wrote a new address each time,
      // the proxy appended the one it saw.
      const req = {
        headers: { "x-forwarded-for": `10.20.30.${i}, 192.0.2.99` } as Record<string, string>,
        rawHeaders: [] as string[],
        socket: { remoteAddress: "127.0.0.1" },
      };
      stampClientIp(req as never, 1);
      const context = requestContext(req.headers);
      expect(context.ip).toBe("192.0.2.99");
      codes.push(await authenticate(t.db, { email: uniqueEmail(), password: "wrong password!" }, context, policy).catch((e) => e.code));
    }
    expect(codes).toEqual([
      "wrong_credentials",
      "wrong_credentials",
      "wrong_credentials",
      "sign_in_locked",
      "sign_in_locked",
      "sign_in_locked",
    ]);
  });

  it("counts an IPv6 client by its /64, which it can rotate through freely", async () => {
    const policy = { ...noWaits, lockAfterIp: 2 };
    expect(await wrong(uniqueEmail(), "2001:db8:aa:bb::1", policy)).toBe("wrong_credentials");
    expect(await wrong(uniqueEmail(), "2001:db8:aa:bb:ffff::2", policy)).toBe("sign_in_locked");
    expect(await wrong(uniqueEmail(), "2001:db8:aa:bc::1", policy)).toBe("wrong_credentials");
    expect(addressBlock("2001:DB8:aa:bb::1")).toBe("2001:db8:aa:bb::/64");
    expect(addressBlock("::ffff:192.0.2.1")).toBe("192.0.2.1");
  });

  it("gives parallel attempts distinct numbers, without losing any", async () => {
    const email = uniqueEmail();
    const policy = { ...noWaits, lockAfterPair: 1000, lockAfterIp: 1000 };
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => reserveAttempt(t.db, email, "198.51.100.7", new Date(), policy)));
    const numbers = verdicts.map((v) => (v.allowed ? v.attempt.taken.find((taken) => taken.counter.kind === "pair")!.number : 0));
    expect(numbers.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("a right password gives its number back to the IP, without resetting the IP's failures", async () => {
    const ip = "198.51.100.8";
    const { email } = await ownerWithTenant(t.db);
    await wrong(uniqueEmail(), ip);
    await wrong(uniqueEmail(), ip);
    await authenticate(t.db, { email, password: PASSWORD }, ctx(ip), noWaits);
    expect((await t.db.signInThrottle.findUniqueOrThrow({ where: { subject: `ip:${ip}` } })).failures).toBe(2);
  });

  it("purges counters that can no longer matter", async () => {
    const old = new Date(Date.now() - 2 * DEFAULT_THROTTLE.windowMs);
    await t.db.signInThrottle.create({ data: { subject: "ip:192.0.2.250", failures: 2, firstFailedAt: old } });
    expect(await purgeStaleThrottles(t.db)).toBeGreaterThanOrEqual(1);
    expect(await t.db.signInThrottle.findUnique({ where: { subject: "ip:192.0.2.250" } })).toBeNull();
  });
});
