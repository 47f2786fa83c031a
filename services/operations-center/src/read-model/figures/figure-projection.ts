import type { DomainEvent, RecordedEvent } from '@city/eventsourcing';
import type { Projection } from '@city/projections';
import type { SqlExecutor } from '@city/sql';
import { changeNotice, claimUnprocessed, migrateOpsSchema } from '../ops-schema';
import { migrateFigureStore, writeFigures, type FigureDelta } from './figure-store';

/** What a context's projection brings of its own; the shared storage does the rest. */
export interface FigureSource<E extends DomainEvent> {
  /** Stable projection name: the key of its stored offsets and positions (e.g. `ops-canvass`). */
  readonly name: string;
  /** The context's key in the figure tables (e.g. `canvass`). */
  readonly context: string;
  /** The event types it handles. */
  readonly handles: readonly E['type'][];
  /** Tables of its own, if it needs any (created at start, emptied on reset). */
  readonly sideTables?: { readonly tables: readonly string[]; migrate(db: SqlExecutor): Promise<void> };
  /**
   * The figure deltas of each event, in the order given, writing any side
   * tables on the way. Runs inside the runner's transaction; every event is
   * new to the projection (already-applied ones are filtered out before).
   */
  deltas(tx: SqlExecutor, events: readonly RecordedEvent<E>[]): Promise<FigureDelta[][]>;
}

/**
 * The projection of one context into the shared figure storage (see
 * figure-store.ts). `apply` runs inside the runner's transaction: it skips
 * events already applied (by event id), asks the context for their figure
 * deltas, writes facts and sums and NOTIFYs the districts it changed in one
 * statement (PostgreSQL delivers the notice only if the transaction commits).
 */
export class FigureProjection<E extends DomainEvent> implements Projection {
  readonly name: string;
  readonly handles: string[];

  constructor(private readonly source: FigureSource<E>) {
    this.name = source.name;
    this.handles = [...source.handles];
  }

  async migrate(db: SqlExecutor): Promise<void> {
    await migrateOpsSchema(db);
    await migrateFigureStore(db);
    await this.source.sideTables?.migrate(db);
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    const relevant = events.filter((e) => this.handles.includes(e.type));
    const fresh = (await claimUnprocessed(tx, this.name, relevant)) as RecordedEvent<E>[];
    if (fresh.length === 0) return;
    const perEvent = await this.source.deltas(tx, fresh);
    const districts = new Set<string>();
    for (const event of fresh) {
      const district = (event.data as { districtCode?: unknown }).districtCode;
      if (typeof district === 'string') districts.add(district);
    }
    // The NOTIFY rides on the figures' statement (PostgreSQL still delivers it on commit only).
    await writeFigures(tx, this.source.context, perEvent.flat(), changeNotice(this.name, districts));
  }

  /** Empties this context's figures and side tables; other contexts' figures stay. */
  async reset(tx: SqlExecutor): Promise<void> {
    const side = this.source.sideTables?.tables ?? [];
    if (side.length > 0) await tx.query(`TRUNCATE ${side.join(', ')}`);
    await tx.query(`DELETE FROM ops.figure_facts WHERE context = $1`, [this.source.context]);
    await tx.query(`DELETE FROM ops.figure_sums WHERE context = $1`, [this.source.context]);
    await tx.query(`DELETE FROM ops.processed_events WHERE projection = $1`, [this.name]);
  }
}

/** The exhaustiveness check at the end of a switch over a context's events. */
export function unhandledEvent(event: never): never {
  throw new Error(`Unhandled event ${JSON.stringify((event as { type?: unknown }).type)}`);
}
