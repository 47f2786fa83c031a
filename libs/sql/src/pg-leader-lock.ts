import type { Pool, PoolClient } from 'pg';

export interface LeaderLockOptions {
  /** How often a follower tries to take the lock; default 2000 ms. */
  readonly retryMs?: number;
  /** Told when this process becomes leader (true) or loses the lock (false). */
  readonly onChange?: (leader: boolean) => void;
}

/**
 * Leader election on a PostgreSQL session advisory lock: of all processes that
 * run `acquire()` for the same name, one holds the lock at a time, the others
 * wait. It is held by a dedicated connection, so a leader that dies or loses its
 * connection releases it at once and a follower takes over at its next try.
 *
 * Used so that one relay per service publishes at a time when the service runs
 * several replicas (delivery is at least once either way; this avoids the
 * duplicates of two relays racing over the same log).
 */
export class PgLeaderLock {
  private client?: PoolClient;
  private readonly onConnectionLost = () => this.lost();
  private stopped = false;
  private wake?: () => void;
  /** The try in flight, which `release()` waits for: it may be about to take the lock. */
  private attempt?: Promise<boolean>;

  constructor(
    private readonly pool: Pool,
    private readonly name: string,
    private readonly options: LeaderLockOptions = {},
  ) {}

  get isLeader(): boolean {
    return this.client !== undefined;
  }

  /** Resolves once this process holds the lock; rejects if `release()` is called first. */
  async acquire(): Promise<void> {
    this.stopped = false;
    while (!this.stopped) {
      this.attempt = this.tryOnce();
      if (await this.attempt) return;
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.retryMs ?? 2000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    throw new Error(`Leader lock ${this.name} released before it was acquired`);
  }

  /** Gives the lock up (or stops trying to take it). */
  async release(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    // A try in flight sees `stopped` once it has its answer and gives back what it took; without
    // this wait, a lock taken just after the release would keep its connection out of the pool
    // for good, and the pool's end (a shutdown) would wait for it forever.
    await this.attempt;
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.unwatch(client);
    try {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.name]);
      client.release();
    } catch {
      client.release(true);
    }
    this.options.onChange?.(false);
  }

  private async tryOnce(): Promise<boolean> {
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.name]);
      if (!rows[0]?.locked) {
        client.release();
        return false;
      }
      if (this.stopped) {
        // Released while this try was under way: the lock is not wanted any more.
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.name]);
        client.release();
        return false;
      }
    } catch {
      client?.release(true);
      return false; // the database is not reachable: try again later
    }
    this.client = client;
    // A lost connection means a lost lock: another process may take it now.
    client.on('error', this.onConnectionLost);
    client.on('end', this.onConnectionLost);
    this.options.onChange?.(true);
    return true;
  }

  private lost(): void {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.unwatch(client);
    client.release(true);
    this.options.onChange?.(false);
  }

  private unwatch(client: PoolClient): void {
    client.off('error', this.onConnectionLost);
    client.off('end', this.onConnectionLost);
  }
}
