/**
 * A Map whose entries vanish at a given time on an injected clock: the
 * in-process store's stand-in for Redis key expiry.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V, ttlMs: number): void {
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /** Replaces the value of a live entry, keeping its expiry; returns false for a missing one. */
  update(key: K, value: V): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.get(key) === undefined) return false;
    entry.value = value;
    return true;
  }

  /** Pushes back the expiry of a live entry; does nothing for a missing one. */
  touch(key: K, ttlMs: number): void {
    const value = this.get(key);
    if (value !== undefined) this.set(key, value, ttlMs);
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Live entries; expired ones are dropped on the way. */
  *liveEntries(): IterableIterator<[K, V]> {
    for (const key of [...this.entries.keys()]) {
      const value = this.get(key);
      if (value !== undefined) yield [key, value];
    }
  }
}
