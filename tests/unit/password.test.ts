import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../lib/auth/password";

describe("password hashing (scrypt)", () => {
  it("stores the KDF parameters with the hash and verifies with the production cost", async () => {
    const stored = await hashPassword("correct horse battery", 32768);
    const [scheme, cost, blockSize, parallelism, salt, key] = stored.split("$");
    expect(scheme).toBe("scrypt");
    expect([cost, blockSize, parallelism]).toEqual(["32768", "8", "1"]);
    expect(Buffer.from(salt, "base64")).toHaveLength(16);
    expect(Buffer.from(key, "base64")).toHaveLength(32);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    const a = await hashPassword("same password here");
    const b = await hashPassword("same password here");
    expect(a).not.toBe(b);
  });

  it("keeps verifying old hashes after the default cost changes", async () => {
    const old = await hashPassword("long enough password", 2048);
    expect(old.split("$")[1]).toBe("2048");
    expect(await verifyPassword("long enough password", old)).toBe(true);
  });

  it("rejects tampered or foreign hash strings", async () => {
    const stored = await hashPassword("long enough password");
    const parts = stored.split("$");
    const flipped = Buffer.from(parts[5], "base64");
    flipped[0] ^= 1;
    expect(await verifyPassword("long enough password", [...parts.slice(0, 5), flipped.toString("base64")].join("$"))).toBe(false);
    expect(await verifyPassword("long enough password", "bcrypt$whatever")).toBe(false);
    expect(await verifyPassword("long enough password", "")).toBe(false);
  });
});
