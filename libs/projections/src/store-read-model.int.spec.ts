import type { EventStore, ReadAllOptions } from '@city/eventsourcing';
import { PostgresEventStore } from '@city/event-store-postgres';
import { appendCanvassEvents } from '@city/kafka/testing';
import { PgDatabase, PgliteDatabase, type SqlDatabase } from '@city/sql';
import { createTestDatabase, eventually, uniqueName, type TestDatabase } from '@city/testing';
import { StoreReadModel } from './store-read-model';
import { CountingProjection } from './testing/counting-projection';

// Budget per test: appending and catching up a few hundred events; PGlite alone takes 10-30 s to start on a loaded machine.
jest.setTimeout(120000);

/** The store as the read model sees it, counting what it reads. */
function counted(store: EventStore) {
  const reads: { after: bigint; returned: number }[] = [];
  const view: EventStore = Object.create(store) as EventStore;
  view.readAll = async (options: ReadAllOptions = {}) => {
    const events = await store.readAll(options);
    reads.push({ after: options.after ?? 0n, returned: events.length });
    return events;
  };
  return { view, reads };
}

interface Setup {
  readonly db: SqlDatabase;
  readonly store: PostgresEventStore;
  close(): Promise<void>;
}

const backends: [string, () => Promise<Setup>][] = [
  [
    'PostgreSQL',
    async () => {
      const database: TestDatabase = await createTestDatabase('store_read_model');
      const store = new PostgresEventStore(database.db);
      await store.migrate();
      return { db: database.db, store, close: async () => (await store.close(), await database.drop()) };
    },
  ],
  [
    'PGlite',
    async () => {
      const db = new PgliteDatabase();
      const store = new PostgresEventStore(db);
      await store.migrate();
      return { db, store, close: async () => (await store.close(), await db.close()) };
    },
  ],
];

/** Opens a fresh store and database before each test of the calling describe block, and a model factory on them. */
function backend(open: () => Promise<Setup>) {
  let setup!: Setup;
  const stops: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    setup = await open();
  });

  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await setup.close();
  });

  function model(store: EventStore, projection: CountingProjection, prefix: string, follow = false, saveUnhandledEveryMs?: number): StoreReadModel {
    const m = new StoreReadModel({
      store,
      db: setup.db,
      projection,
      streamPrefix: prefix,
      batchSize: 100,
      follow,
      ...(saveUnhandledEveryMs === undefined ? {} : { saveUnhandledEveryMs }),
    });
    stops.push(() => m.stop());
    return m;
  }

  return { setup: () => setup, model };
}

// PGlite starts slowly here: the restart test runs on both, the rest on the server only.
describe.each(backends)('StoreReadModel on %s', (_name, open) => {
  const b = backend(open);

  it('resumes from its checkpoint after a restart, without reading earlier events again', async () => {
    const prefix = `${uniqueName('rm')}.`;
    const projection = new CountingProjection('restart', 'restart');
    const first = b.model(b.setup().store, projection, prefix);
    first.start();
    await appendCanvassEvents(b.setup().store, 350, { prefix: `${prefix}unit-` });
    await first.catchUp();
    await first.stop();
    const checkpoint = first.position;
    expect(await projection.applied(b.setup().db)).toEqual({ rows: 350, distinct: 350 });

    await appendCanvassEvents(b.setup().store, 40, { prefix: `${prefix}unit-` });
    const { view, reads } = counted(b.setup().store);
    const second = b.model(view, projection, prefix);
    second.start();
    await second.whenStarted();

    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.after >= checkpoint)).toBe(true);
    expect(reads.reduce((n, r) => n + r.returned, 0)).toBe(40);
    expect(await projection.applied(b.setup().db)).toEqual({ rows: 390, distinct: 390 });
  });
});

describe('StoreReadModel on PostgreSQL, shared by instances', () => {
  const b = backend(backends[0][1]);

  it('a following model applies what its subscription delivers without reading it again; two following instances apply each event once', async () => {
    const prefix = `${uniqueName('rm')}.`;
    const projection = new CountingProjection('delivered', 'delivered');
    const { view, reads } = counted(b.setup().store);
    const one = b.model(view, projection, prefix, true);
    one.start();
    await one.whenStarted();
    const reached = async (model: StoreReadModel) => {
      const head = await b.setup().store.headPosition();
      await eventually(async () => (model.position >= head ? true : undefined), 45_000);
    };
    // Until its subscription is live, a pass may read: one event to be sure it is.
    await appendCanvassEvents(b.setup().store, 1, { prefix: `${prefix}unit-` });
    await reached(one);
    reads.length = 0;
    for (let round = 0; round < 5; round++) {
      await appendCanvassEvents(b.setup().store, 20, { prefix: `${prefix}unit-${round}-` });
      await reached(one);
    }
    // Appended without waiting for the model between rounds (whether pages then arrive back to back is up to timing).
    for (let round = 0; round < 5; round++) await appendCanvassEvents(b.setup().store, 20, { prefix: `${prefix}unit-quick-${round}-` });
    await reached(one);
    expect(reads).toEqual([]);
    expect(await projection.applied(b.setup().db)).toEqual({ rows: 201, distinct: 201 });

    const two = b.model(b.setup().store, projection, prefix, true);
    two.start();
    await two.whenStarted();
    for (let round = 0; round < 5; round++) {
      await appendCanvassEvents(b.setup().store, 20, { prefix: `${prefix}unit-again-${round}-` });
      await reached(one);
      await reached(two);
    }
    expect(await projection.applied(b.setup().db)).toEqual({ rows: 301, distinct: 301 });
  });

  it('a query waits for the position of a command just completed on another instance', async () => {
    const prefix = `${uniqueName('rm')}.`;
    const projection = new CountingProjection('other', 'other');
    const here = b.model(b.setup().store, projection, prefix);
    here.start();
    await here.whenStarted();

    // Another instance: its own store client on its own connections appends, then is gone.
    const elsewhere = new PostgresEventStore(new PgDatabase((b.setup().db as PgDatabase).pool.options), { ownsDatabase: true });
    const [eventId] = await appendCanvassEvents(elsewhere, 1, { prefix: `${prefix}unit-` });
    await elsewhere.close();

    await here.catchUp();
    const { rows } = await b.setup().db.query<{ event_id: string }>('SELECT event_id FROM other_applied');
    expect(rows.map((r) => r.event_id)).toEqual([eventId]);
  });

  it('concurrent waiters share one catch-up, and two instances on the same tables apply each event once', async () => {
    const prefix = `${uniqueName('rm')}.`;
    const projection = new CountingProjection('shared', 'shared');
    const a = counted(b.setup().store);
    const one = b.model(a.view, projection, prefix);
    const two = b.model(b.setup().store, projection, prefix);
    await appendCanvassEvents(b.setup().store, 60, { prefix: `${prefix}unit-` });

    await Promise.all([...Array.from({ length: 20 }, () => one.catchUp()), two.catchUp(), two.catchUp()]);

    // 60 events are one page: a pass reads it and one empty page at most; 20 separate catch-ups would read 20 times or more.
    expect(a.reads.length).toBeLessThanOrEqual(4);
    expect(await projection.applied(b.setup().db)).toEqual({ rows: 60, distinct: 60 });
  });

  it('reaches a head that belongs to other streams', async () => {
    const prefix = `${uniqueName('rm')}.`;
    const projection = new CountingProjection('head', 'head');
    const m = b.model(b.setup().store, projection, prefix, true);
    m.start();
    await appendCanvassEvents(b.setup().store, 5, { prefix: `${prefix}unit-` });
    await appendCanvassEvents(b.setup().store, 5, { prefix: `${uniqueName('other')}.unit-` });

    await m.catchUp();

    expect(m.position).toBe(await b.setup().store.headPosition());
    expect(await projection.applied(b.setup().db)).toEqual({ rows: 5, distinct: 5 });
  });

  it('passes events it does not handle without a transaction, stores that checkpoint on stop, and another instance moving it meanwhile is seen', async () => {
    const prefix = `${uniqueName('rm')}.`;
    const projection = new CountingProjection('unhandled', 'unhandled');
    const one = b.model(b.setup().store, projection, prefix, false, 60_000);
    const two = b.model(b.setup().store, projection, prefix);
    const stored = async () =>
      BigInt(
        (await b.setup().db.query<{ position: string }>("SELECT position::text AS position FROM projection_positions WHERE projection = 'unhandled'")).rows[0]
          .position,
      );
    await appendCanvassEvents(b.setup().store, 5, { prefix: `${prefix}unit-` });
    await one.catchUp();
    const committed = await stored();

    // Only other streams since: the checkpoint moves, the stored one not (no transaction).
    await appendCanvassEvents(b.setup().store, 5, { prefix: `${uniqueName('other')}.unit-` });
    await one.catchUp();
    expect(one.position).toBe(await b.setup().store.headPosition());
    expect(await stored()).toBe(committed);

    // Another instance applies from the stored checkpoint; the first finds it moved and applies nothing twice.
    await appendCanvassEvents(b.setup().store, 5, { prefix: `${prefix}unit-` });
    await two.catchUp();
    await appendCanvassEvents(b.setup().store, 5, { prefix: `${prefix}unit-` });
    await one.catchUp();
    expect(await projection.applied(b.setup().db)).toEqual({ rows: 15, distinct: 15 });

    await appendCanvassEvents(b.setup().store, 5, { prefix: `${uniqueName('other')}.unit-` });
    await one.catchUp();
    await one.stop();
    expect(await stored()).toBe(await b.setup().store.headPosition());
  });
});
