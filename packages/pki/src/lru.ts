/**
 * A bounded map that forgets the least recently used entries first. A Map keeps insertion order, so the first key
 * is the oldest; a hit moves its entry to the end only once the entry has aged past half the capacity (moving it
 * on every hit costs a delete and an insert on the hot path, and an entry that young cannot be the one evicted).
 * Bounded so that a stream of distinct signers (a province's worth) costs a fixed amount of memory.
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, { value: V; stamp: number }>();
  #clock = 0;

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const slot = this.#entries.get(key);
    if (!slot) return undefined;
    if (this.#clock - slot.stamp > this.capacity / 2) {
      this.#entries.delete(key);
      slot.stamp = ++this.#clock;
      this.#entries.set(key, slot);
    }
    return slot.value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, stamp: ++this.#clock });
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
