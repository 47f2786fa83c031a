import type { SubdistrictRegistered } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { Projection } from '@city/projections';
import type { SqlExecutor } from '@city/sql';
import { claimUnprocessed, migrateOpsSchema, notifyChanged } from './ops-schema';

export const REFERENCE_DATA_PROJECTION_NAME = 'ops-reference-data';

/**
 * The city's reference data as the operations center keeps it: subdistrict
 * names for every table and series of every context. Its own projection, so
 * that rebuilding a context's figures never empties the names.
 */
export class ReferenceDataProjection implements Projection {
  readonly name = REFERENCE_DATA_PROJECTION_NAME;
  readonly handles: string[] = ['SubdistrictRegistered' satisfies SubdistrictRegistered['type']];

  async migrate(db: SqlExecutor): Promise<void> {
    await migrateOpsSchema(db);
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    const relevant = events.filter((e) => this.handles.includes(e.type));
    const fresh = (await claimUnprocessed(tx, this.name, relevant)) as RecordedEvent<SubdistrictRegistered>[];
    if (fresh.length === 0) return;
    // Later registrations of the same subdistrict rename it: keep the last of the batch.
    const last = new Map(fresh.map((e) => [`${e.data.districtCode}/${e.data.subdistrictCode}`, e.data]));
    const rows = [...last.values()];
    await tx.query(
      `INSERT INTO ops.subdistricts (district_code, subdistrict_code, name, registered_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
       ON CONFLICT (district_code, subdistrict_code) DO UPDATE SET name = excluded.name`,
      [rows.map((r) => r.districtCode), rows.map((r) => r.subdistrictCode), rows.map((r) => r.name), rows.map((r) => r.registeredAt)],
    );
    await notifyChanged(
      tx,
      this.name,
      rows.map((r) => r.districtCode),
    );
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ops.subdistricts`);
    await tx.query(`DELETE FROM ops.processed_events WHERE projection = $1`, [this.name]);
  }
}
