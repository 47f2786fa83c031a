import { InMemoryEventStore } from '@city/eventsourcing/testing';
import { appendCanvassEvents } from '@city/kafka/testing';
import { PgliteDatabase } from '@city/sql';
import { eventually } from '@city/testing';
import { EventStoreProjectionRunner } from './event-store-projection-runner';
import type { ProjectionObserver } from './projection';
import { rebuildProjection } from './rebuild';
import { CountingProjection } from './testing/counting-projection';

// Embedded PostgreSQL (PGlite, in process) as the read-model database; the in-memory store as the log.
// Budgets: every wait below returns once its condition holds (under a second on an idle machine), so
// they are sized for a loaded one, where PGlite's WASM start and each catch-up only take longer.
/** PGlite starting (it compiles its WASM build on the first query) and the projection tables migrated, or closing. */
const PGLITE_MS = 60_000;
/** A runner catching up with the few hundred events a test appends. */
const CATCH_UP_MS = 60_000;

let db: PgliteDatabase;
let store: InMemoryEventStore;

beforeEach(() => {
  db = new PgliteDatabase();
  store = new InMemoryEventStore();
});

afterEach(async () => {
  await db.close();
}, PGLITE_MS);

function runner(projection: CountingProjection, extra: Partial<ConstructorParameters<typeof EventStoreProjectionRunner>[0]> = {}) {
  return new EventStoreProjectionRunner({ store, db, projections: [projection], batchSize: 100, retryDelayMs: { initial: 1, max: 5 }, ...extra });
}

it(
  'applies the log once, and resumes after a restart without counting anything twice',
  async () => {
    const projection = new CountingProjection('counting', 'embedded');
    const first = runner(projection);
    await first.start();
    const ids = await appendCanvassEvents(store, 450);
    await eventually(async () => ((await projection.applied(db)).rows >= ids.length ? true : undefined), CATCH_UP_MS);
    await first.stop();

    const more = await appendCanvassEvents(store, 50);
    const second = runner(projection);
    await second.start();
    await eventually(async () => ((await projection.applied(db)).rows >= ids.length + more.length ? true : undefined), CATCH_UP_MS);
    await second.stop();

    expect(await projection.applied(db)).toEqual({ rows: 500, distinct: 500 });
    const { rows } = await db.query<{ position: string }>('SELECT position FROM projection_positions WHERE projection = $1', ['counting']);
    expect(String(rows[0].position)).toBe('500');
  },
  PGLITE_MS + 2 * CATCH_UP_MS,
); // two runners, each catching up

it(
  'reports events per type, the checkpoint position and the lag to the observer',
  async () => {
    const applied = new Map<string, number>();
    const positions: bigint[] = [];
    const lags: number[] = [];
    const observer: ProjectionObserver = {
      eventsApplied: (_p, type, n) => applied.set(type, (applied.get(type) ?? 0) + n),
      checkpoint: (_p, position) => positions.push(position),
      lag: (_p, seconds) => lags.push(seconds),
    };
    const projection = new CountingProjection('observed', 'observed');
    const r = runner(projection, { observer });
    await r.start();
    await appendCanvassEvents(store, 30);
    await eventually(async () => (positions.at(-1) === 30n ? true : undefined), CATCH_UP_MS);
    await r.stop();

    expect(Object.fromEntries(applied)).toEqual({ UnitRegistered: 10, CanvassVisitRecorded: 20 });
    expect(r.status('observed')).toMatchObject({ position: 30n, applied: { UnitRegistered: 10, CanvassVisitRecorded: 20 } });
    expect(lags.every((l) => l >= 0 && l < 60)).toBe(true);
  },
  PGLITE_MS + CATCH_UP_MS,
); // the runner reaching the checkpoint

it(
  'measures the lag against the store: 0 when caught up and idle, the growing age of the oldest pending event while stalled, other streams not counted',
  async () => {
    const lags: number[] = [];
    const observer: ProjectionObserver = { lag: (_p, seconds) => lags.push(seconds) };
    const projection = new CountingProjection('lagging', 'lagging');
    const live = runner(projection, { observer, streamPrefix: 'canvass.', lagCheckIntervalMs: 100 });
    await live.start();
    await appendCanvassEvents(store, 30);
    await eventually(async () => ((await projection.applied(db)).rows >= 30 ? true : undefined), CATCH_UP_MS);
    // Idle and caught up: the measurement (every 100 ms) says 0, and keeps saying it.
    await eventually(async () => (lags.at(-1) === 0 ? true : undefined), CATCH_UP_MS);
    const measured = lags.length;
    await eventually(async () => (lags.length >= measured + 3 ? true : undefined), CATCH_UP_MS);
    expect(lags.slice(measured)).toEqual(lags.slice(measured).map(() => 0));
    // Other departments' streams after its last event: still caught up.
    await appendCanvassEvents(store, 5, { prefix: 'traveller-health.person-' });
    expect(await live.checkLag()).toBe(true);
    expect(lags.at(-1)).toBe(0);
    await live.stop();

    // Stalled (not running) with events of its streams pending: the age of the oldest, growing.
    const stalledAt = Date.now();
    await appendCanvassEvents(store, 10);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await live.checkLag()).toBe(false);
    const first = lags.at(-1)!;
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual((Date.now() - stalledAt) / 1000 + 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await live.checkLag();
    expect(lags.at(-1)!).toBeGreaterThanOrEqual(first + 0.9);

    // Running again: caught up, back to 0.
    const resumed = runner(projection, { observer, streamPrefix: 'canvass.', lagCheckIntervalMs: 100 });
    await resumed.start();
    await eventually(async () => ((await projection.applied(db)).rows >= 40 ? true : undefined), CATCH_UP_MS);
    await eventually(async () => (lags.at(-1) === 0 ? true : undefined), CATCH_UP_MS);
    await resumed.stop();
  },
  PGLITE_MS + 4 * CATCH_UP_MS,
); // catching up twice, the measurements reaching 0 twice

it(
  'records a poison event in projection_dead_letters, moves past it and applies the rest',
  async () => {
    const projection = new CountingProjection('poisoned', 'poisoned');
    const deadLettered: string[] = [];
    const r = runner(projection, { onDeadLetter: (_p, event) => deadLettered.push(event.eventId) });
    await r.start();
    const ids = await appendCanvassEvents(store, 120, { poison: (i) => i === 40 });
    await eventually(async () => ((await projection.applied(db)).rows >= 119 ? true : undefined), CATCH_UP_MS);
    await r.stop();

    expect(deadLettered).toEqual([ids[40]]);
    const { rows } = await db.query<{ event_id: string; error_type: string }>('SELECT event_id, error_type FROM projection_dead_letters');
    expect(rows).toEqual([{ event_id: ids[40], error_type: 'ValidationError' }]);
    expect(await projection.applied(db)).toEqual({ rows: 119, distinct: 119 });
  },
  PGLITE_MS + CATCH_UP_MS,
); // the runner applying past the poison event

it(
  'a rebuild equals the live model and the runner continues after it without double counting',
  async () => {
    const projection = new CountingProjection('rebuilt', 'rebuilt');
    const live = runner(projection);
    await live.start();
    await appendCanvassEvents(store, 333);
    await eventually(async () => ((await projection.applied(db)).rows >= 333 ? true : undefined), CATCH_UP_MS);
    const liveCounts = await projection.counts(db);

    // The runner keeps running during the rebuild: both lock the projection and re-read its position.
    const result = await rebuildProjection(store, db, projection, { batchSize: 50 });
    await appendCanvassEvents(store, 17);
    await eventually(async () => ((await projection.applied(db)).rows >= 350 ? true : undefined), CATCH_UP_MS);
    await live.stop();

    expect(result.position).toBeGreaterThanOrEqual(333n);
    expect(await projection.applied(db)).toEqual({ rows: 350, distinct: 350 });
    const after = await projection.counts(db);
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(total(liveCounts)).toBe(333);
    expect(total(after)).toBe(350);
  },
  PGLITE_MS + 3 * CATCH_UP_MS,
); // the live runner's catch-up, the rebuild, and the catch-up after it

it(
  'refuses to rebuild a projection that cannot reset',
  async () => {
    const projection = new CountingProjection('no-reset', 'noreset');
    const withoutReset = {
      name: projection.name,
      handles: projection.handles,
      migrate: projection.migrate.bind(projection),
      apply: projection.apply.bind(projection),
    };
    await expect(rebuildProjection(store, db, withoutReset)).rejects.toThrow(/no reset/);
  },
  PGLITE_MS,
);
