// @ts-check
/** Storage back-end by name. */
import { MemoryStorage } from './memory.js';
import { IndexedDBStorage } from './indexeddb.js';

/** @param {'indexeddb'|'memory'} kind */
export function createStorage(kind) {
  if (kind === 'memory') return new MemoryStorage();
  if (kind === 'indexeddb') return new IndexedDBStorage();
  throw new Error(`unknown storage ${kind}`);
}
