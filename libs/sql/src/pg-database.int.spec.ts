import { randomUUID } from 'node:crypto';
import { PgDatabase } from './pg-database';

// NOTIFY needs no tables: the shared test database serves, with a channel of this run only.
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('PgDatabase (real PostgreSQL)', () => {
  const db = new PgDatabase(DATABASE_URL);
  const admin = new PgDatabase(DATABASE_URL);
  afterAll(async () => {
    await db.close();
    await admin.close();
  });

  /** What a reconnect may take on a loaded machine: the waits below return as soon as their condition holds. */
  const RECONNECT_MS = 60_000;

  // (@city/testing's `eventually` would make libs/sql and libs/testing depend on each other.)
  async function until(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + RECONNECT_MS;
    while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(condition()).toBe(true);
  }

  it(
    'keeps listening after its LISTEN connection is cut',
    async () => {
      const channel = `changes_${randomUUID().replace(/-/g, '')}`;
      const received: string[] = [];
      let resumed = 0;
      await db.listen(
        channel,
        (payload) => received.push(payload),
        () => resumed++,
      );
      await admin.query('SELECT pg_notify($1, $2)', [channel, 'before']);
      await until(() => received.includes('before'));
      expect(resumed).toBe(0);

      // Cut the listening session, as a database restart or a network cut would.
      const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE $1', [`LISTEN "${channel}"%`]);
      expect(rowCount).toBe(1);

      // Notify until the reconnected listener hears one (notifications sent while it is away are lost).
      const deadline = Date.now() + RECONNECT_MS;
      while (!received.includes('after') && Date.now() < deadline) {
        await admin.query('SELECT pg_notify($1, $2)', [channel, 'after']);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(received).toContain('after');
      // Told once that notifications may have been missed, so it can catch up.
      await until(() => resumed === 1);
    },
    3 * RECONNECT_MS,
  ); // the first notification, the reconnect and the resumed call

  it('rolls back a failed transaction and keeps the pool usable', async () => {
    const table = `t_${randomUUID().replace(/-/g, '')}`;
    await db.query(`CREATE TABLE ${table} (n int)`);
    try {
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${table} VALUES (1)`);
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect((await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows).toEqual([{ n: 0 }]);
    } finally {
      await db.query(`DROP TABLE ${table}`);
    }
  });
});
