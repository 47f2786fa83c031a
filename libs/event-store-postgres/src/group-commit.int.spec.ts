import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '@city/eventsourcing';
import type { SqlDatabase } from '@city/sql';
import { PgDatabase } from '@city/sql';
import type { TestDatabase } from '@city/testing';
import { createTestDatabase, eventually } from '@city/testing';
import { EventStoreClosedError } from './errors';
import { describeGroupCommitBehaviour } from './group-commit-behaviour';
import { PostgresEventStore } from './postgres-event-store';

describeGroupCommitBehaviour('real PostgreSQL', async (onAppended) => {
  const database = await createTestDatabase('event_store_group_commit');
  const store = new PostgresEventStore(database.db, { onAppended });
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
});

describe('PostgresEventStore stream reads (real PostgreSQL)', () => {
  it('answers reads made in the same turn with one statement, and a read after an append sees it', async () => {
    const database = await createTestDatabase('event_store_read_batch');
    let statements = 0;
    const counting: SqlDatabase = Object.assign(Object.create(database.db) as SqlDatabase, {
      query: ((...args: Parameters<SqlDatabase['query']>) => {
        statements++;
        return database.db.query(...args);
      }) as SqlDatabase['query'],
    });
    const store = new PostgresEventStore(counting);
    try {
      await store.migrate();
      const streams = Array.from({ length: 40 }, (_, i) => `gc.read-${i}`);
      await Promise.all(streams.map((s) => store.appendToStream(s, [newEvent('Opened')], 'no_stream')));
      statements = 0;
      const read = await Promise.all(streams.map((s) => store.readStream(s)));
      expect(statements).toBe(1);
      expect(read.map((events) => events.map((e) => e.streamId))).toEqual(streams.map((s) => [s]));

      await store.appendToStream('gc.read-0', [newEvent('Moved')], 0);
      expect((await store.readStream('gc.read-0')).map((e) => e.type)).toEqual(['Opened', 'Moved']);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});

describe('PostgresEventStore subscriptions served from its own appends (real PostgreSQL)', () => {
  it('delivers what this instance appended without reading it back, in order, as a read would give it', async () => {
    const database = await createTestDatabase('event_store_recent');
    let pageReads = 0;
    const counting: SqlDatabase = {
      query: ((...args: Parameters<SqlDatabase['query']>) => {
        if (/SELECT h\.head/.test(args[0])) pageReads++;
        return database.db.query(...args);
      }) as SqlDatabase['query'],
      transaction: (work) => database.db.transaction(work),
      listen: (channel, onNotify, onResumed) => database.db.listen(channel, onNotify, onResumed),
      close: () => database.db.close(),
    };
    const store = new PostgresEventStore(counting, { pollIntervalMs: 60_000 });
    await store.migrate();
    const received: RecordedEvent[] = [];
    let live = false;
    const subscription = store.subscribeToAll({ after: 0n, onEvents: async (events) => void received.push(...events), onLive: () => (live = true) });
    try {
      await eventually(async () => (live ? true : undefined), 45_000);
      pageReads = 0;
      const data = { when: new Date('2020-02-10T08:00:00Z'), gone: undefined, kept: 1 };
      for (let round = 0; round < 5; round++) {
        await Promise.all(Array.from({ length: 20 }, (_, i) => store.appendToStream(`gc.recent-${round}-${i}`, [{ ...newEvent('Seen'), data }], 'no_stream')));
      }
      await eventually(async () => (received.length === 100 ? true : undefined), 45_000);
      expect(pageReads).toBe(0);
      const positions = received.map((e) => e.globalPosition);
      expect(positions).toEqual(positions.map((_, i) => positions[0] + BigInt(i)));
      // JSON as stored, not the appender's objects: the same as the server gives back.
      expect(received.map((e) => [e.globalPosition, e.data, e.metadata, e.recordedAt])).toEqual(
        (await store.readAll({ after: positions[0] - 1n, limit: 100 })).map((e) => [e.globalPosition, e.data, e.metadata, e.recordedAt]),
      );
      expect(received[0].data).toEqual({ when: '2020-02-10T08:00:00.000Z', kept: 1 });
    } finally {
      await subscription.stop();
      await store.close();
      await database.drop();
    }
  }, 120_000);

  it('with nothing kept in memory (recentEvents 0), reads every new event from the server', async () => {
    const database = await createTestDatabase('event_store_recent_none');
    const store = new PostgresEventStore(database.db, { pollIntervalMs: 60_000, recentEvents: 0 });
    await store.migrate();
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ after: 0n, onEvents: async (events) => void received.push(...events) });
    try {
      for (let round = 0; round < 3; round++) await store.appendToStream(`gc.none-${round}`, [newEvent('Kept')], 'no_stream');
      await eventually(async () => (received.length >= 3 ? true : undefined), 45_000);
      expect(received.map((e) => e.streamId)).toEqual(['gc.none-0', 'gc.none-1', 'gc.none-2']);
    } finally {
      await subscription.stop();
      await store.close();
      await database.drop();
    }
  }, 120_000);

  it('reads the server for what another instance appended between its own batches, delivering every event once', async () => {
    const database = await createTestDatabase('event_store_recent_gaps');
    const otherDb = new PgDatabase(database.url);
    const store = new PostgresEventStore(database.db, { pollIntervalMs: 60_000 });
    const other = new PostgresEventStore(otherDb, { ownsDatabase: true });
    await store.migrate();
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ after: 0n, onEvents: async (events) => void received.push(...events) });
    try {
      const expected: string[] = [];
      for (let round = 0; round < 10; round++) {
        const mine = `gc.mine-${round}`;
        const theirs = `gc.theirs-${round}`;
        await store.appendToStream(mine, [newEvent('Mine')], 'no_stream');
        await other.appendToStream(theirs, [newEvent('Theirs')], 'no_stream');
        expected.push(mine, theirs);
      }
      // The last event is another instance's: its notification (not a 60 s poll) brings it.
      await eventually(async () => (received.length >= 20 ? true : undefined), 45_000);
      expect(received.map((e) => e.streamId)).toEqual(expected);
    } finally {
      await subscription.stop();
      await other.close();
      await store.close();
      await database.drop();
    }
  }, 120_000);
});

describe('PostgresEventStore notifications and shutdown (real PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('event_store_notify');
    store = new PostgresEventStore(database.db);
    await store.migrate();
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('wakes a subscription of another store instance through NOTIFY, well before its poll interval', async () => {
    const otherDb = new PgDatabase(database.url);
    const listener = new PostgresEventStore(otherDb, { pollIntervalMs: 60_000 });
    const received: RecordedEvent[] = [];
    let live = false;
    const subscription = listener.subscribeToAll({
      after: await store.headPosition(),
      streamPrefix: 'gc.notify',
      onEvents: async (events) => void received.push(...events),
      onLive: () => (live = true),
    });
    try {
      // Budgets under the 60 s poll interval, so that only NOTIFY can deliver the event in time, and
      // generous below it: a loaded machine only makes the wait longer.
      await eventually(async () => (live ? true : undefined), 45_000);
      await store.appendToStream('gc.notify-1', [newEvent('Ping')], 'no_stream');
      await eventually(async () => (received.length === 1 ? true : undefined), 45_000);
      expect(received[0].type).toBe('Ping');
    } finally {
      await subscription.stop();
      await listener.close();
      await otherDb.close();
    }
  }, 120_000); // the subscription going live and the notified delivery

  it('still delivers by polling when notifications are unavailable', async () => {
    const otherDb = new PgDatabase(database.url);
    const noNotify: SqlDatabase = {
      query: (sql, params) => otherDb.query(sql, params),
      transaction: (work) => otherDb.transaction(work),
      listen: async () => {
        throw new Error('LISTEN not available');
      },
      close: () => otherDb.close(),
    };
    const poller = new PostgresEventStore(noNotify, { pollIntervalMs: 100, ownsDatabase: true });
    const received: RecordedEvent[] = [];
    const subscription = poller.subscribeToAll({
      after: await store.headPosition(),
      streamPrefix: 'gc.poll',
      onEvents: async (events) => void received.push(...events),
    });
    try {
      await store.appendToStream('gc.poll-1', [newEvent('Polled')], 'no_stream');
      // A poll every 100 ms: seconds at most, unless the machine is loaded.
      await eventually(async () => (received.length === 1 ? true : undefined), 45_000);
      expect(received[0].type).toBe('Polled');
    } finally {
      await subscription.stop();
      await poller.close();
    }
  });

  it('close() writes every queued append, then refuses new ones', async () => {
    const otherDb = new PgDatabase(database.url);
    const closing = new PostgresEventStore(otherDb, { ownsDatabase: true });
    const pending = Array.from({ length: 20 }, (_, i) => closing.appendToStream(`gc.drain-${i}`, [newEvent('Queued')], 'no_stream'));
    await closing.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(20);
    await expect(closing.appendToStream('gc.drain-late', [newEvent('Late')], 'any')).rejects.toBeInstanceOf(EventStoreClosedError);
    expect(await store.readAll({ streamPrefix: 'gc.drain-', limit: 100 })).toHaveLength(20);
  });
});

function newEvent(type: string): NewEvent {
  return { eventId: randomUUID(), type, schemaVersion: 1, data: { type }, metadata: { correlationId: randomUUID(), causationId: randomUUID() } };
}
