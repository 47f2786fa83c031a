import { randomUUID } from 'node:crypto';
import { PgDatabase } from './pg-database';
import { PgLeaderLock } from './pg-leader-lock';

// Advisory locks need no tables: the shared test database serves, with lock names of this run only.
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = randomUUID();

describe('PgLeaderLock (real PostgreSQL)', () => {
  const test = { db: new PgDatabase(DATABASE_URL) };
  const other = new PgDatabase(DATABASE_URL); // a second process, as far as PostgreSQL can tell

  afterAll(async () => {
    await other.close();
    await test.db.close();
  });

  /** What noticing a lost session may take on a loaded machine: `until` returns as soon as its condition holds. */
  const NOTICE_MS = 60_000;

  // (@city/testing's `eventually` would make libs/sql and libs/testing depend on each other.)
  async function until(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + NOTICE_MS;
    while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(condition()).toBe(true);
  }

  it('lets one holder lead and hands over when it releases', async () => {
    const changes: string[] = [];
    const first = new PgLeaderLock(test.db.pool, `relay:canvass:${run}`, { retryMs: 50, onChange: (l) => changes.push(`first:${l}`) });
    const second = new PgLeaderLock(other.pool, `relay:canvass:${run}`, { retryMs: 50, onChange: (l) => changes.push(`second:${l}`) });
    await first.acquire();
    let secondLeads = false;
    const waiting = second.acquire().then(() => (secondLeads = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(first.isLeader).toBe(true);
    expect(secondLeads).toBe(false);

    await first.release();
    await waiting;
    expect(second.isLeader).toBe(true);
    expect(changes).toEqual(['first:true', 'first:false', 'second:true']);
    await second.release();
  });

  it(
    'frees the lock when the leader loses its connection',
    async () => {
      const first = new PgLeaderLock(test.db.pool, `relay:lost:${run}`, { retryMs: 50 });
      const second = new PgLeaderLock(other.pool, `relay:lost:${run}`, { retryMs: 50 });
      await first.acquire();
      const waiting = second.acquire();
      // Kill the leader's session from outside, as a crash or a network cut would.
      await other.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.objid::bigint = (hashtext($1)::bigint & 4294967295)`,
        [`relay:lost:${run}`],
      );
      await waiting;
      expect(second.isLeader).toBe(true);
      await until(() => !first.isLeader);
      await second.release();
      await first.release();
    },
    2 * NOTICE_MS,
  ); // the second holder taking over, and the first noticing its lost session

  it('stops waiting when released before it leads', async () => {
    const holder = new PgLeaderLock(test.db.pool, `relay:busy:${run}`, { retryMs: 50 });
    const waiter = new PgLeaderLock(other.pool, `relay:busy:${run}`, { retryMs: 50 });
    await holder.acquire();
    const waiting = waiter.acquire();
    await waiter.release();
    await expect(waiting).rejects.toThrow('released before it was acquired');
    await holder.release();
  });

  it('gives the lock back when released while a try is taking it, so the pool can end', async () => {
    const own = new PgDatabase(DATABASE_URL);
    const lock = new PgLeaderLock(own.pool, `relay:race:${run}`, { retryMs: 50 });
    const taking = lock.acquire().then(
      () => 'acquired',
      () => 'stopped',
    );
    await lock.release(); // while the first try is connecting or asking
    const outcome = await taking;
    expect(lock.isLeader).toBe(false);
    // Nobody holds it: another process takes it at once, and the pool ends (it would wait forever on a kept connection).
    const other2 = new PgLeaderLock(other.pool, `relay:race:${run}`, { retryMs: 50 });
    await other2.acquire();
    await other2.release();
    await own.close();
    expect(outcome).toBe('stopped');
  });
});
