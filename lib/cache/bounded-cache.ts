/**
 * A least-recently-used map with hard bounds: at most `maxEntries` entries and, with `weigh`, at
 * most `maxWeight` (e.g. bytes) in total; entries older than `ttlMs` read as missing. Bounded so
 * no request pattern can grow it without limit. The clock is injectable for tests.
 */
export type BoundedCacheOptions<V> = {
  maxEntries: number;
  maxWeight?: number;
  weigh?: (value: V) => number;
  ttlMs?: number;
  now?: () => number;
};

type Slot<V> = { value: V; weight: number; storedAt: number };

export class BoundedCache<K, V> {
  private readonly slots = new Map<K, Slot<V>>();
  private weight = 0;
  readonly now: () => number;

  constructor(private readonly options: BoundedCacheOptions<V>) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.slots.size;
  }

  get totalWeight(): number {
    return this.weight;
  }

  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    if (this.options.ttlMs !== undefined && this.now() - slot.storedAt >= this.options.ttlMs) {
      this.delete(key);
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.options.weigh?.(value) ?? 0;
    // Something larger than the whole budget is not kept at all (it would evict everything).
    if (this.options.maxWeight !== undefined && weight > this.options.maxWeight) return;
    this.slots.set(key, { value, weight, storedAt: this.now() });
    this.weight += weight;
    for (const [oldest, slot] of this.slots) {
      const over =
        this.slots.size > this.options.maxEntries || (this.options.maxWeight !== undefined && this.weight > this.options.maxWeight);
      if (!over) break;
      this.slots.delete(oldest);
      this.weight -= slot.weight;
    }
  }

  delete(key: K): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    this.weight -= slot.weight;
  }

  clear(): void {
    this.slots.clear();
    this.weight = 0;
  }
}
