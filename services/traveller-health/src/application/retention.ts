import { TRAVELLER_HEALTH_STREAM_PREFIX, type TravellerHealthEvent } from '@city/contracts';
import { assertNever, type EventStore, type RecordedEvent } from '@city/eventsourcing';
import { StoreReadModel, type Projection } from '@city/projections';
import { deterministicUuid, eventIdOfCommand, type CommandScheduler, type DueCommand } from '@city/scheduler';
import { arrayLiteral, type SqlDatabase, type SqlExecutor } from '@city/sql';
import { travellerDecider, type EraseAfterRetention } from '../domain/traveller.decider';
import type { PersonalDataVault } from './personal-data-vault';
import { SCHEDULER_ACTOR, type TravellerStreams } from './traveller-streams';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Persons erased per sweep before the next one is scheduled at once (keeps one firing well inside the scheduler's lease). */
const SWEEP_LIMIT = 2000;

export const RetentionKind = {
  /** Erasure of one person, scheduled on their release from observation. */
  erasureDue: 'traveller-health.erasure-due',
  /** The hourly look for persons whose retention has run out, observed or not. */
  sweep: 'traveller-health.retention-sweep',
} as const;

/** Event types the retention index applies; the rest do not move anyone's deadline. */
const HANDLED = [
  'TravellerRegistered',
  'HomeObservationStarted',
  'HomeObservationReleased',
  'PersonalDataErased',
] as const satisfies readonly TravellerHealthEvent['type'][];
type HandledEvent = Extract<TravellerHealthEvent, { type: (typeof HANDLED)[number] }>;

export const RETENTION_READ_MODEL = 'traveller-health-retention';

/**
 * Who still has personal data in the vault and since when they were last seen (their last
 * registration or release), so the sweep finds the due ones by an index instead of reading
 * every stream. A person erased leaves it; registering again brings them back.
 */
export class RetentionProjection implements Projection {
  readonly name = RETENTION_READ_MODEL;
  readonly handles: readonly string[] = HANDLED;

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS th_retention (
      traveller_id text PRIMARY KEY,
      last_seen_at timestamptz NOT NULL,
      observing boolean NOT NULL DEFAULT false
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS th_retention_due ON th_retention (last_seen_at, traveller_id) WHERE NOT observing');
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('DELETE FROM th_retention');
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    // Registrations, most of what arrives, go in one statement per run of them (the latest per person).
    let registered = new Map<string, string>();
    const flush = async () => {
      if (registered.size === 0) return;
      await tx.query(
        `INSERT INTO th_retention (traveller_id, last_seen_at)
         SELECT * FROM unnest($1::text[], $2::timestamptz[])
         ON CONFLICT (traveller_id) DO UPDATE SET last_seen_at = greatest(th_retention.last_seen_at, excluded.last_seen_at)`,
        [arrayLiteral([...registered.keys()]), arrayLiteral([...registered.values()])],
      );
      registered = new Map();
    };
    for (const recorded of events) {
      const e = { type: recorded.type, data: recorded.data } as HandledEvent;
      if (e.type === 'TravellerRegistered') {
        const previous = registered.get(e.data.travellerId);
        if (!previous || Date.parse(previous) < Date.parse(e.data.registeredAt)) registered.set(e.data.travellerId, e.data.registeredAt);
        continue;
      }
      await flush();
      await this.applyOne(tx, e);
    }
    await flush();
  }

  private async applyOne(tx: SqlExecutor, e: Exclude<HandledEvent, { type: 'TravellerRegistered' }>): Promise<void> {
    switch (e.type) {
      case 'HomeObservationStarted':
        await tx.query(
          `INSERT INTO th_retention (traveller_id, last_seen_at, observing) VALUES ($1, $2, true)
           ON CONFLICT (traveller_id) DO UPDATE SET observing = true`,
          [e.data.travellerId, e.data.startedAt],
        );
        return;
      case 'HomeObservationReleased':
        await tx.query(
          `INSERT INTO th_retention (traveller_id, last_seen_at) VALUES ($1, $2)
           ON CONFLICT (traveller_id) DO UPDATE SET observing = false, last_seen_at = greatest(th_retention.last_seen_at, excluded.last_seen_at)`,
          [e.data.travellerId, e.data.releasedAt],
        );
        return;
      case 'PersonalDataErased':
        await tx.query('DELETE FROM th_retention WHERE traveller_id = $1', [e.data.travellerId]);
        return;
      default:
        return assertNever(e, 'retention event');
    }
  }
}

export interface RetentionOptions {
  readonly store: EventStore;
  readonly db: SqlDatabase;
  readonly streams: TravellerStreams;
  readonly vault: PersonalDataVault;
  readonly scheduler: CommandScheduler;
  /** Days after a person's last registration or release, whichever is later, before their data key is destroyed. */
  readonly retentionDays: number;
  readonly onError?: (error: Error) => void;
}

/**
 * Retention of personal data, on the clock (the durable scheduler): `retentionDays` after a
 * person was last seen (their last registration, or their release from observation if later)
 * their data key is destroyed and `PersonalDataErased` recorded, whether or not they were ever
 * observed. Released persons have an erasure scheduled on release; everyone else, most
 * travellers, is found by the hourly sweep through the retention index. Either way the
 * traveller's stream decides (`EraseAfterRetention`), so a later registration moves the deadline.
 */
export class Retention {
  private readonly model: StoreReadModel;

  constructor(private readonly o: RetentionOptions) {
    this.model = new StoreReadModel({
      store: o.store,
      db: o.db,
      projection: new RetentionProjection(),
      streamPrefix: TRAVELLER_HEALTH_STREAM_PREFIX,
      ...(o.onError ? { onError: o.onError } : {}),
    });
    o.scheduler
      .register<{ travellerId: string }>(RetentionKind.erasureDue, async (due) => {
        await this.eraseIfDue(due.payload.travellerId, due.issuedAt, due.commandId);
      })
      .register(RetentionKind.sweep, (due) => this.sweep(due));
  }

  /** Follows the store, and makes sure a sweep is scheduled (the same id on every replica and restart). */
  async start(now: Date): Promise<void> {
    this.model.start();
    await this.scheduleSweep(nextHour(now));
  }

  stop(): Promise<void> {
    return this.model.stop();
  }

  /** Erases the person if the retention has run out by `now`; answers whether it did. */
  async eraseIfDue(travellerId: string, now: Date, commandId: string): Promise<boolean> {
    const command: EraseAfterRetention = {
      type: 'EraseAfterRetention',
      data: { travellerId, retentionDays: this.o.retentionDays },
      metadata: { actor: SCHEDULER_ACTOR, now: now.toISOString() },
    };
    const { state } = await this.o.streams.load(travellerId);
    // Decided first without appending, so no key is destroyed for a person not due.
    if (travellerDecider.decide(command, state).length === 0) return false;
    if (!(await this.o.vault.eraseUnlessNewer(travellerId, state.registrationIds))) return false;
    const result = await this.o.streams.handle({ actor: SCHEDULER_ACTOR, correlationId: commandId }, command, {
      eventId: (i) => eventIdOfCommand(commandId, i),
    });
    return result.eventsAppended > 0;
  }

  /** One sweep: everyone last seen before the cutoff, oldest first, then the next sweep. */
  private async sweep(due: DueCommand): Promise<void> {
    const now = due.issuedAt;
    const cutoff = new Date(now.getTime() - this.o.retentionDays * DAY_MS);
    await this.model.catchUp();
    let after: { lastSeenAt: Date; travellerId: string } | null = null;
    let looked = 0;
    while (looked < SWEEP_LIMIT) {
      const { rows }: { rows: DueRow[] } = await this.o.db.query<DueRow>(
        `SELECT traveller_id, last_seen_at FROM th_retention
          WHERE NOT observing AND last_seen_at <= $1 AND ($2::timestamptz IS NULL OR (last_seen_at, traveller_id) > ($2::timestamptz, $3::text))
          ORDER BY last_seen_at, traveller_id LIMIT $4`,
        [cutoff.toISOString(), after?.lastSeenAt.toISOString() ?? null, after?.travellerId ?? null, Math.min(500, SWEEP_LIMIT - looked)],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        try {
          await this.eraseIfDue(row.traveller_id, now, deterministicUuid(due.commandId, row.traveller_id));
        } catch (error) {
          // One person's failure (their next sweep tries again) holds nobody else's erasure up.
          this.o.onError?.(new Error(`Retention: erasure of ${row.traveller_id} failed: ${(error as Error).message}`));
        }
      }
      looked += rows.length;
      const last: DueRow = rows[rows.length - 1];
      after = { lastSeenAt: new Date(last.last_seen_at), travellerId: last.traveller_id };
    }
    // More may be due: go on at once; otherwise at the next full hour.
    await this.scheduleSweep(looked >= SWEEP_LIMIT ? new Date(now.getTime() + 1000) : nextHour(now));
  }

  private async scheduleSweep(at: Date): Promise<void> {
    await this.o.scheduler.schedule({ scheduleId: `retention-sweep-${at.toISOString()}`, kind: RetentionKind.sweep, dueAt: at, payload: {} });
  }
}

interface DueRow {
  traveller_id: string;
  last_seen_at: Date | string;
}

function nextHour(now: Date): Date {
  return new Date((Math.floor(now.getTime() / HOUR_MS) + 1) * HOUR_MS);
}
