// The pooled CSPRNG (lib/crypto/random-pool.ts): every call gets bytes of its own, fresh
// ones across pool refills, and nothing handed out stays behind in the pool.
import { describe, expect, it } from "vitest";
import { pooledRandomBytes } from "../../lib/crypto/random-pool";

describe("pooledRandomBytes", () => {
  it("hands out distinct secrets across many refills, each its own buffer", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const bytes = pooledRandomBytes(32);
      expect(bytes.length).toBe(32);
      // Its own memory: not a view into this pool or Node's shared Buffer slab.
      expect(bytes.buffer.byteLength).toBe(32);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(2000);
  });

  it("does not keep what it handed out: changing one result changes no other", () => {
    const a = pooledRandomBytes(64);
    const copy = Buffer.from(a);
    a.fill(0xff);
    const b = pooledRandomBytes(64);
    expect(b.equals(a)).toBe(false);
    expect(copy.equals(Buffer.alloc(64, 0xff))).toBe(false);
  });

  it("large requests bypass the pool and are still random", () => {
    const big = pooledRandomBytes(5000);
    expect(big.length).toBe(5000);
    expect(big.equals(Buffer.alloc(5000))).toBe(false);
  });

  it("the bytes look uniform (each bit set about half the time over 64 KiB)", () => {
    let ones = 0;
    const total = 64 * 1024;
    for (let i = 0; i < total / 32; i++)
      for (const byte of pooledRandomBytes(32)) for (let bit = 0; bit < 8; bit++) ones += (byte >> bit) & 1;
    // Mean 262,144 bits of 524,288, standard deviation ~362: ±5 sd.
    expect(Math.abs(ones - (total * 8) / 2)).toBeLessThan(1810);
  });
});
