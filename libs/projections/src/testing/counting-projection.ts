import { ValidationError } from '@city/eventsourcing';
import type { RecordedEvent } from '@city/eventsourcing';
import type { SqlExecutor } from '@city/sql';
import type { Projection } from '../projection';

/**
 * A test read model that shows double counting: `<table>_counts` adds up events
 * per type and district (a redelivered event would count twice) and
 * `<table>_applied` has one row per application, with no unique key.
 * An event whose data says `poison: true` is refused with a ValidationError.
 */
export class CountingProjection implements Projection {
  readonly handles = ['UnitRegistered', 'CanvassVisitRecorded'];

  constructor(
    readonly name: string,
    private readonly table: string,
  ) {}

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${this.table}_counts (type text NOT NULL, district text NOT NULL, n bigint NOT NULL, PRIMARY KEY (type, district))`,
    );
    await db.query(`CREATE TABLE IF NOT EXISTS ${this.table}_applied (event_id text NOT NULL, position bigint NOT NULL)`);
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    const poison = events.find((e) => (e.data as { poison?: boolean }).poison === true);
    if (poison) throw new ValidationError(`Event ${poison.eventId} is poison`);
    await tx.query(`INSERT INTO ${this.table}_applied (event_id, position) SELECT * FROM unnest($1::text[], $2::bigint[])`, [
      events.map((e) => e.eventId),
      events.map((e) => e.globalPosition.toString()),
    ]);
    const counts = new Map<string, number>();
    for (const e of events) {
      const key = `${e.type}\u0000${e.metadata.district ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const keys = [...counts.keys()].map((k) => k.split('\u0000'));
    await tx.query(
      `INSERT INTO ${this.table}_counts (type, district, n) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (type, district) DO UPDATE SET n = ${this.table}_counts.n + EXCLUDED.n`,
      [keys.map((k) => k[0]), keys.map((k) => k[1]), [...counts.values()]],
    );
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${this.table}_counts, ${this.table}_applied`);
  }

  /** Rows of `_applied` and the distinct event ids among them. */
  async applied(db: SqlExecutor): Promise<{ rows: number; distinct: number }> {
    const { rows } = await db.query<{ rows: string; distinct: string }>(
      `SELECT count(*) AS rows, count(DISTINCT event_id) AS distinct FROM ${this.table}_applied`,
    );
    return { rows: Number(rows[0].rows), distinct: Number(rows[0].distinct) };
  }

  async counts(db: SqlExecutor): Promise<Record<string, number>> {
    const { rows } = await db.query<{ type: string; district: string; n: string }>(
      `SELECT type, district, n FROM ${this.table}_counts ORDER BY type, district`,
    );
    return Object.fromEntries(rows.map((r) => [`${r.type}/${r.district}`, Number(r.n)]));
  }
}
