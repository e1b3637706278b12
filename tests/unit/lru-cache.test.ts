import { describe, expect, it } from "vitest";
import { LruCache } from "../../lib/lru-cache";

describe("LruCache", () => {
  it("never holds more than maxEntries, however many keys come", () => {
    const cache = new LruCache<string, number>(100);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`key ${i}`, i);
      expect(cache.size).toBeLessThanOrEqual(100);
    }
    expect(cache.size).toBe(100);
    // The newest 100 remain.
    expect(cache.get("key 9999")).toBe(9999);
    expect(cache.get("key 9900")).toBe(9900);
    expect(cache.get("key 9899")).toBeUndefined();
  });

  it("evicts the least recently used: a read keeps an entry in", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1).set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    // Overwriting a key does not count twice.
    cache.set("c", 4);
    expect(cache.size).toBe(2);
    expect(cache.get("c")).toBe(4);
  });

  it("caches undefined-free values and forgets on delete and clear", () => {
    const cache = new LruCache<string, number | null>(3);
    cache.set("unknown key", null);
    expect(cache.get("unknown key")).toBeNull();
    expect(cache.delete("unknown key")).toBe(true);
    expect(cache.get("unknown key")).toBeUndefined();
    cache.set("x", 1);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("refuses a size that is not a positive whole number, naming the setting", () => {
    expect(() => new LruCache(0, "API_KEY_CACHE_MAX")).toThrow(/API_KEY_CACHE_MAX must be a positive whole number, got 0/);
    expect(() => new LruCache(Number("lots"), "API_KEY_CACHE_MAX")).toThrow(/got NaN/);
    expect(() => new LruCache(2.5)).toThrow(RangeError);
  });
});
