import { LRUCache } from 'lru-cache';

/**
 * An LRU cache of at most `entries` entries, each for at most `ttl` ms. Bounded with
 * lru-cache's `maxSize` (every entry counting 1) rather than `max`: `max` allocates its arrays
 * for every entry up front, about 4 MB per 100,000 entries with a ttl in every process at
 * start-up, whether or not the cache is ever used (measured in docs/benchmarks.md).
 */
export function boundedCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(entries: number, ttl?: number): LRUCache<K, V> {
  return new LRUCache<K, V>({ maxSize: entries, sizeCalculation: () => 1, ...(ttl === undefined ? {} : { ttl }) });
}
