/**
 * A bounded map that forgets the least recently used entries first. A Map keeps insertion order, so the first key
 * is the oldest; a hit moves its entry to the end only once the entry has aged past half the capacity (moving it
 * on every hit costs a delete and an insert on the hot path, and an entry that young cannot be the one evicted).
 * Bounded so that a stream of distinct signers (a province's worth) costs a fixed amount of memory: by count, and
 * by weight when `maxWeight` is given (the bytes an entry keeps), so that a few large entries cannot hold what
 * thousands of ordinary ones would.
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, { value: V; stamp: number; weight: number }>();
  #clock = 0;
  #weight = 0;

  constructor(
    readonly capacity: number,
    readonly maxWeight = Infinity,
    readonly weightOf: (value: V) => number = () => 0,
  ) {}

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
    this.delete(key);
    const weight = this.weightOf(value);
    this.#entries.set(key, { value, stamp: ++this.#clock, weight });
    this.#weight += weight;
    while (this.#entries.size > this.capacity || (this.#weight > this.maxWeight && this.#entries.size > 1)) this.delete(this.#entries.keys().next().value as K);
  }

  private delete(key: K): void {
    const slot = this.#entries.get(key);
    if (!slot) return;
    this.#entries.delete(key);
    this.#weight -= slot.weight;
  }

  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }

  /** The sum of the entries' weights. */
  get weight(): number {
    return this.#weight;
  }

  get size(): number {
    return this.#entries.size;
  }
}
