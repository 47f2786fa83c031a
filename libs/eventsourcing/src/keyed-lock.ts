/**
 * Runs async work one at a time per key. How far "one at a time" reaches is the
 * implementation's: `KeyedMutex` within this process, `PgKeyedLock` of
 * @city/sql across every replica that shares the database. Code that needs a
 * critical section takes this interface and lets the composition choose.
 */
export interface KeyedLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/**
 * Runs async work one at a time per key (e.g. per stream or per official), in
 * arrival order, within this process. Keys with nothing queued hold no memory.
 */
export class KeyedMutex implements KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
