import type { SqlDatabase, SqlExecutor } from '@city/sql';

/** Runs `work` in a transaction of its own, or in the caller's when `db` is one already. */
function inTransaction(db: SqlDatabase | SqlExecutor, work: (tx: SqlExecutor) => Promise<void>): Promise<void> {
  return 'transaction' in db ? db.transaction(work) : work(db);
}

/**
 * The tables this store replaces, each with the name of its consumer column.
 * Their rows are copied into `consumer_offsets` once, then the table is
 * dropped (see `ConsumerOffsets.migrate`).
 */
const FORMER_TABLES: readonly { readonly table: string; readonly consumer: string }[] = [
  { table: 'projection_offsets', consumer: 'projection' },
  { table: 'event_consumer_offsets', consumer: 'consumer' },
];

/**
 * The next Kafka offset per (consumer, topic, partition), kept in the database
 * of what the consumer writes, so that it commits in the same transaction as
 * the rows it moves (ARCHITECTURE.md decision 6). One table, `consumer_offsets`,
 * for every kind of consumer: the operations center's projections (consumer =
 * projection name) and a department's `@EventPattern` views (consumer = group).
 */
export class ConsumerOffsets {
  /**
   * Creates `consumer_offsets`. A database from before it had one table per
   * kind of consumer (`projection_offsets`, `event_consumer_offsets`): their
   * rows are copied in and the old tables dropped, in one transaction under a
   * lock, so replicas starting together migrate once and no offset is lost.
   * Inside a caller's transaction when `db` is one.
   */
  static async migrate(db: SqlDatabase | SqlExecutor): Promise<void> {
    await inTransaction(db, async (tx) => {
      // Replicas starting together: one creates and copies, the others wait and find it done.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['city.consumer-offsets:migrate']);
      await tx.query(`CREATE TABLE IF NOT EXISTS consumer_offsets (
        consumer    text        NOT NULL,
        topic       text        NOT NULL,
        partition   integer     NOT NULL,
        next_offset bigint      NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, topic, partition)
      )`);
      const { rows } = await tx.query<{ name: string }>(
        'SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY($1::text[])',
        [FORMER_TABLES.map((t) => t.table)],
      );
      const found = new Set(rows.map((r) => r.name));
      for (const { table, consumer } of FORMER_TABLES) {
        if (!found.has(table)) continue;
        await tx.query(
          `INSERT INTO consumer_offsets (consumer, topic, partition, next_offset, updated_at)
           SELECT ${consumer}, topic, partition, next_offset, updated_at FROM ${table}
           ON CONFLICT (consumer, topic, partition) DO UPDATE SET next_offset = GREATEST(consumer_offsets.next_offset, EXCLUDED.next_offset)`,
        );
        await tx.query(`DROP TABLE ${table}`);
      }
    });
  }

  constructor(private readonly consumer: string) {}

  /**
   * Locks the partition for this consumer until the transaction ends (a member
   * that lost the partition in a rebalance and is still finishing a batch waits
   * here, then sees the newer offset), and reads its stored next offset.
   */
  async lock(tx: SqlExecutor, topic: string, partition: number): Promise<bigint | undefined> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`event-consumer:${this.consumer}:${topic}:${partition}`]);
    return this.stored(tx, topic, partition);
  }

  /** The stored next offset of a partition, if any (read inside the transaction that will save the next one). */
  async stored(tx: SqlExecutor, topic: string, partition: number): Promise<bigint | undefined> {
    const { rows } = await tx.query<{ next_offset: string }>(
      'SELECT next_offset::text AS next_offset FROM consumer_offsets WHERE consumer = $1 AND topic = $2 AND partition = $3',
      [this.consumer, topic, partition],
    );
    return rows.length === 0 ? undefined : BigInt(rows[0].next_offset);
  }

  async save(tx: SqlExecutor, topic: string, partition: number, nextOffset: string): Promise<void> {
    await tx.query(
      `INSERT INTO consumer_offsets (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
      [this.consumer, topic, partition, nextOffset],
    );
  }

  /**
   * `save` for several consumers of one partition in one statement (a runner that feeds
   * several projections from one batch stores all their offsets in one round trip).
   */
  static async saveAll(tx: SqlExecutor, consumers: readonly string[], topic: string, partition: number, nextOffset: string): Promise<void> {
    if (consumers.length === 0) return;
    await tx.query(
      `INSERT INTO consumer_offsets (consumer, topic, partition, next_offset)
       SELECT c, $2, $3, $4 FROM unnest($1::text[]) AS c
       ON CONFLICT (consumer, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
      [consumers, topic, partition, nextOffset],
    );
  }

  /** The stored next offset of each partition of `topic`: where this consumer resumes. */
  async load(db: SqlExecutor, topic: string): Promise<ReadonlyMap<number, string>> {
    return ConsumerOffsets.loadCommon(db, topic, [this.consumer]);
  }

  /**
   * Where several consumers reading through one Kafka consumer resume: per
   * partition, the smallest offset stored over them. A partition that one of
   * them has never read is left out, so the Kafka consumer starts it from the
   * earliest offset (the others skip what they already have).
   */
  static async loadCommon(db: SqlExecutor, topic: string, consumers: readonly string[]): Promise<ReadonlyMap<number, string>> {
    const { rows } = await db.query<{ partition: number; next_offset: string; consumers: string }>(
      `SELECT partition, min(next_offset)::text AS next_offset, count(*)::text AS consumers
         FROM consumer_offsets WHERE topic = $1 AND consumer = ANY($2::text[]) GROUP BY partition`,
      [topic, consumers],
    );
    return new Map(rows.filter((r) => Number(r.consumers) === consumers.length).map((r) => [Number(r.partition), r.next_offset]));
  }
}
