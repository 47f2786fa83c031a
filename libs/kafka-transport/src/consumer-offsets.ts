import type { SqlDatabase, SqlExecutor } from '@city/sql';

/**
 * The next offset per (consumer, topic, partition), kept in the read model's
 * database so that it commits with the view rows of the same transaction.
 */
export class ConsumerOffsets {
  constructor(private readonly consumer: string) {}

  static async migrate(db: SqlDatabase): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS event_consumer_offsets (
      consumer    text        NOT NULL,
      topic       text        NOT NULL,
      partition   integer     NOT NULL,
      next_offset bigint      NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, topic, partition)
    )`);
  }

  /**
   * Locks the partition for this consumer until the transaction ends (a member
   * that lost the partition in a rebalance and is still finishing a batch waits
   * here, then sees the newer offset), and reads its stored next offset.
   */
  async lock(tx: SqlExecutor, topic: string, partition: number): Promise<bigint | undefined> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`event-consumer:${this.consumer}:${topic}:${partition}`]);
    const { rows } = await tx.query<{ next_offset: string }>(
      'SELECT next_offset::text AS next_offset FROM event_consumer_offsets WHERE consumer = $1 AND topic = $2 AND partition = $3',
      [this.consumer, topic, partition],
    );
    return rows.length === 0 ? undefined : BigInt(rows[0].next_offset);
  }

  async save(tx: SqlExecutor, topic: string, partition: number, nextOffset: string): Promise<void> {
    await tx.query(
      `INSERT INTO event_consumer_offsets (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
      [this.consumer, topic, partition, nextOffset],
    );
  }

  async load(db: SqlExecutor, topic: string): Promise<ReadonlyMap<number, string>> {
    const { rows } = await db.query<{ partition: number; next_offset: string }>(
      'SELECT partition, next_offset::text AS next_offset FROM event_consumer_offsets WHERE consumer = $1 AND topic = $2',
      [this.consumer, topic],
    );
    return new Map(rows.map((r) => [Number(r.partition), r.next_offset]));
  }
}
