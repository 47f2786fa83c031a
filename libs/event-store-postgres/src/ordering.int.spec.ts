import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '@city/eventsourcing';
import { ConcurrencyError } from '@city/eventsourcing';
import { PgDatabase } from '@city/sql';
import type { TestDatabase } from '@city/testing';
import { createTestDatabase } from '@city/testing';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The proof of ARCHITECTURE.md decision 4 on a real server: while many callers
 * append concurrently — through two store instances with connection pools of
 * their own, as two service processes would — a reader that only ever asks for
 * "everything after the last position I saw" must see every committed event
 * exactly once, in strictly increasing position order.
 */
describe('PostgresEventStore global log ordering under concurrent appends', () => {
  const CALLERS = 32;
  const APPENDS_PER_CALLER = 50;
  const SHARED_STREAMS = 8;

  let database: TestDatabase;
  let secondDb: PgDatabase;
  let stores: PostgresEventStore[];

  beforeAll(async () => {
    database = await createTestDatabase('event_store_ordering');
    secondDb = new PgDatabase(database.url);
    stores = [new PostgresEventStore(database.db), new PostgresEventStore(secondDb)];
    await stores[0].migrate();
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await secondDb.close();
    await database.drop();
  });

  it('lets a tailing reader see every committed event exactly once, in order', async () => {
    const committed: string[] = [];
    const rejected: string[] = [];
    let conflicts = 0;
    let appendersDone = false;

    const appender = async (caller: number) => {
      const store = stores[caller % stores.length];
      const known = new Map<string, number>();
      for (let n = 0; n < APPENDS_PER_CALLER; n++) {
        // Half of the appends go to streams every caller shares, so versions collide.
        const streamId = n % 2 === 0 ? `order.shared-${(caller + n) % SHARED_STREAMS}` : `order.caller-${caller}`;
        const events = Array.from({ length: 1 + (n % 3) }, (_, i) => newEvent(`Appended${i}`, { caller, n }));
        const expected = n % 5 === 4 ? 'any' : (known.get(streamId) ?? 'no_stream');
        try {
          const result = await store.appendToStream(streamId, events, expected);
          known.set(streamId, result.nextExpectedVersion);
          committed.push(...events.map((e) => e.eventId));
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          conflicts++;
          rejected.push(...events.map((e) => e.eventId));
          known.set(streamId, error.actual);
        }
      }
    };

    const seen: RecordedEvent[] = [];
    const reader = async () => {
      let lastSeen = 0n;
      for (;;) {
        const finished = appendersDone; // read once more after the appenders have finished
        const page = await stores[1].readAll({ after: lastSeen, limit: 250 });
        for (const event of page) {
          if (event.globalPosition <= lastSeen) throw new Error(`position ${event.globalPosition} after ${lastSeen}`);
          lastSeen = event.globalPosition;
          seen.push(event);
        }
        if (finished && page.length === 0) return;
        if (page.length < 250) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    };

    const readerDone = reader();
    await Promise.all(Array.from({ length: CALLERS }, (_, caller) => appender(caller)));
    appendersDone = true;
    await readerDone;

    const final = await stores[0].readAll({ after: 0n, limit: 1_000_000 });
    const seenIds = seen.map((e) => e.eventId);

    expect(conflicts).toBeGreaterThan(0); // the run really did race
    expect(new Set(seenIds).size).toBe(seenIds.length); // exactly once
    for (let i = 1; i < seen.length; i++) expect(seen[i].globalPosition).toBeGreaterThan(seen[i - 1].globalPosition);
    expect(seenIds).toEqual(final.map((e) => e.eventId));
    expect(new Set(seenIds)).toEqual(new Set(committed));
    const seenSet = new Set(seenIds);
    expect(rejected.filter((id) => seenSet.has(id))).toEqual([]);
    expect(final.map((e) => e.globalPosition)).toEqual(final.map((_, i) => BigInt(i + 1))); // gap-free
    expect(await stores[0].headPosition()).toBe(BigInt(final.length));

    const byStream = new Map<string, number[]>();
    for (const e of final) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.streamVersion]);
    for (const versions of byStream.values()) expect(versions).toEqual(versions.map((_, i) => i));
  }, 120_000);
});

function newEvent(type: string, data: object): NewEvent {
  return { eventId: randomUUID(), type, schemaVersion: 1, data, metadata: { correlationId: randomUUID(), causationId: randomUUID() } };
}
