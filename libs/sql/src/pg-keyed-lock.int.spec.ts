import { randomUUID } from 'node:crypto';
import { PgDatabase } from './pg-database';
import { PgKeyedLock } from './pg-keyed-lock';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PgKeyedLock (real PostgreSQL)', () => {
  // Two pools stand for two replicas of a service.
  const replicaA = new PgDatabase(DATABASE_URL);
  const replicaB = new PgDatabase(DATABASE_URL);
  afterAll(async () => {
    await replicaA.close();
    await replicaB.close();
  });

  it('runs the work of one key one at a time across processes', async () => {
    const namespace = `test-${randomUUID()}`;
    const locks = [new PgKeyedLock(replicaA, namespace), new PgKeyedLock(replicaB, namespace)];
    let inside = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++inside);
      await sleep(30);
      inside--;
    };
    await Promise.all(Array.from({ length: 6 }, (_, i) => locks[i % 2].run('official-1', work)));
    expect(most).toBe(1);
  });

  it('lets another key run while one is held', async () => {
    const namespace = `test-${randomUUID()}`;
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    // official-1 stays held until official-2's work, on the other replica, has run: if the
    // second key waited for the first, this would never finish.
    const first = new PgKeyedLock(replicaA, namespace).run('official-1', () => firstHeld);
    await new PgKeyedLock(replicaB, namespace).run('official-2', async () => releaseFirst());
    await first;
  });

  it('does not starve the work of connections when many keys are held at once', async () => {
    // The lock on a pool of its own (2), the work on another (2): 12 callers finish.
    const lockDb = new PgDatabase({ connectionString: DATABASE_URL, max: 2 });
    const workDb = new PgDatabase({ connectionString: DATABASE_URL, max: 2 });
    try {
      const lock = new PgKeyedLock(lockDb, `test-${randomUUID()}`);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => lock.run(`official-${i}`, async () => (await workDb.query<{ n: number }>('SELECT $1::int AS n', [i])).rows[0].n)),
      );
      expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => i));
    } finally {
      await lockDb.close();
      await workDb.close();
    }
  });

  it('releases the key when the work fails', async () => {
    const lock = new PgKeyedLock(replicaA, `test-${randomUUID()}`);
    await expect(lock.run('k', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await expect(lock.run('k', async () => 'next')).resolves.toBe('next');
  });
});
