import type { KeyedLock } from '@city/eventsourcing';
import type { SqlDatabase } from './sql-database';

/**
 * The KeyedLock (@city/eventsourcing) that reaches across every process that
 * shares the database (all replicas of a service), where `KeyedMutex` reaches
 * only this process: the work runs while a transaction
 * holds a PostgreSQL advisory lock on the key, released at commit, or by the
 * server if the connection dies. For rare, short critical sections (a rule
 * that spans streams), not for every command.
 *
 * Give it a database (pool) of its own: each call holds one of its
 * connections while the work uses others. On a shared pool, enough
 * simultaneous calls would take every connection and their work would wait
 * for one forever; on its own small pool, extra calls only queue for the lock.
 */
export class PgKeyedLock implements KeyedLock {
  constructor(
    private readonly db: SqlDatabase,
    /** Keeps these keys apart from other users of advisory locks on the database. */
    private readonly namespace: string,
  ) {}

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${this.namespace}:${key}`]);
      return work();
    });
  }
}
