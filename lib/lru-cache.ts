// A Map with a size limit: past maxEntries the least recently used entry goes. For caches
// whose keys come from outside (presented API keys, say), so that a stream of new keys
// cannot grow memory without end. A Map iterates in insertion order, so re-inserting on
// every read keeps the least recently used entry first.
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** `setting` names where maxEntries came from, for the error when it is not usable. */
  constructor(
    readonly maxEntries: number,
    setting = "maxEntries",
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(`${setting} must be a positive whole number, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key)!;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return this;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
