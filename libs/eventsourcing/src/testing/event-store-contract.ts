import { randomBytes, randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event';
import { ConcurrencyError, ValidationError } from '../errors';
import type { EventStore, ExpectedVersion } from '../event-store';

/** What a contract run needs: a store, and how to dispose of it afterwards. */
export interface EventStoreContractSubject {
  readonly store: EventStore;
  cleanup(): Promise<void>;
}

const SLOW = 30_000;

/**
 * The behaviour every `EventStore` adapter must have (ARCHITECTURE.md decision 3).
 * Call it from an adapter's test file:
 *
 *   describeEventStoreContract('PostgreSQL', async () => {
 *     const db = await createTestDatabase();
 *     const store = new PostgresEventStore(db.db);
 *     await store.migrate();
 *     return { store, cleanup: async () => { await store.close(); await db.drop(); } };
 *   });
 *
 * The factory runs once per suite. Every test writes to streams of its own
 * (random prefix) and reads the global log only after the head it saw first,
 * so the suite also works against a shared server that already holds events.
 */
export function describeEventStoreContract(name: string, factory: () => Promise<EventStoreContractSubject>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: EventStoreContractSubject | undefined;
    const run = randomBytes(4).toString('hex');
    let counter = 0;
    /** A stream id no other test (or earlier run) uses; `group` lets tests share a prefix. */
    const streamId = (group: string) => `contract-${run}-${group}.s${counter++}`;
    const prefixOf = (group: string) => `contract-${run}-${group}.`;
    const store = (): EventStore => {
      if (!subject) throw new Error('the store factory failed');
      return subject.store;
    };

    beforeAll(async () => {
      subject = await factory();
    }, SLOW * 2);

    afterAll(async () => {
      await subject?.cleanup();
    }, SLOW);

    describe('append and read', () => {
      it('reads back appended events in order with ids, types, versions, data and metadata', async () => {
        const id = streamId('basic');
        const events = [newEvent('UnitRegistered', { unit: 'A-1' }), newEvent('VisitRecorded', { count: 2, nested: { ok: true, list: [1, 'two'] } })];
        const result = await store().appendToStream(id, events, 'no_stream');
        const read = await store().readStream(id);

        expect(read.map(stripRecorded)).toEqual(events.map((e) => ({ ...e, streamId: id })));
        expect(read.map((e) => e.streamVersion)).toEqual([0, 1]);
        expect(result.nextExpectedVersion).toBe(1);
        expect(result.lastPosition).toBe(read[1].globalPosition);
        for (const e of read) {
          expect(typeof e.globalPosition).toBe('bigint');
          expect(new Date(e.recordedAt).toISOString()).toBe(e.recordedAt);
        }
      });

      it('names its log by an identity that stays the same for as long as the log does', async () => {
        const identity = await store().identity();
        expect(identity).toMatch(/^[a-z]+:\S+$/);
        await store().appendToStream(streamId('identity'), [newEvent('A')], 'no_stream');
        expect(await store().identity()).toBe(identity);
      });

      it('returns [] for a stream that does not exist', async () => {
        await expect(store().readStream(streamId('missing'))).resolves.toEqual([]);
      });

      it('reads a stream from a version on', async () => {
        const id = streamId('from');
        await store().appendToStream(id, [newEvent('A'), newEvent('B'), newEvent('C'), newEvent('D')], 'no_stream');
        const tail = await store().readStream(id, { fromVersion: 2 });
        expect(tail.map((e) => [e.type, e.streamVersion])).toEqual([
          ['C', 2],
          ['D', 3],
        ]);
        await expect(store().readStream(id, { fromVersion: 4 })).resolves.toEqual([]);
      });

      it('orders long streams and the log numerically (versions and positions past 9, 99)', async () => {
        const id = streamId('long');
        const before = await store().headPosition();
        const types = Array.from({ length: 105 }, (_, i) => `E${i}`);
        await store().appendToStream(
          id,
          types.slice(0, 55).map((t) => newEvent(t)),
          'no_stream',
        );
        await store().appendToStream(
          id,
          types.slice(55).map((t) => newEvent(t)),
          54,
        );
        const read = await store().readStream(id);
        expect(read.map((e) => e.type)).toEqual(types);
        expect(read.map((e) => e.streamVersion)).toEqual(types.map((_, i) => i));
        expect((await store().readStream(id, { fromVersion: 98 })).map((e) => e.streamVersion)).toEqual([98, 99, 100, 101, 102, 103, 104]);
        const log = await store().readAll({ after: before, streamPrefix: prefixOf('long'), limit: 1000 });
        expect(log.map((e) => e.type)).toEqual(types);
        expectStrictlyIncreasing(log.map((e) => e.globalPosition));
      });

      it('keeps metadata as written, extra keys included', async () => {
        const id = streamId('meta');
        const metadata: EventMetadata = {
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actorId: 'official-17',
          actorRole: 'field-official',
          district: '310105',
          requestPath: '/canvass/units',
        };
        await store().appendToStream(id, [{ ...newEvent('Tagged'), metadata }], 'any');
        const [read] = await store().readStream(id);
        expect(read.metadata).toEqual(metadata);
      });

      it('gives bigint positions that strictly increase across appends and streams, and headPosition follows', async () => {
        const positions: bigint[] = [];
        for (let i = 0; i < 4; i++) {
          const id = streamId('positions');
          const result = await store().appendToStream(id, [newEvent('P1'), newEvent('P2')], 'no_stream');
          const read = await store().readStream(id);
          positions.push(...read.map((e) => e.globalPosition));
          expect(result.lastPosition).toBe(read[1].globalPosition);
          expect(await store().headPosition()).toBeGreaterThanOrEqual(result.lastPosition);
        }
        positions.forEach((p, i) => {
          expect(typeof p).toBe('bigint');
          if (i > 0) expect(p).toBeGreaterThan(positions[i - 1]);
        });
      });

      it('answers ping', async () => {
        await expect(store().ping()).resolves.toBeUndefined();
      });
    });

    describe('expected version', () => {
      it("'no_stream' appends to a new stream and refuses an existing one", async () => {
        const id = streamId('no-stream');
        await store().appendToStream(id, [newEvent('First')], 'no_stream');
        await expectConflict(store().appendToStream(id, [newEvent('Second')], 'no_stream'), id);
        expect((await store().readStream(id)).map((e) => e.type)).toEqual(['First']);
      });

      it("'stream_exists' refuses a new stream and appends to an existing one", async () => {
        const id = streamId('exists');
        await expectConflict(store().appendToStream(id, [newEvent('Lost')], 'stream_exists'), id);
        await expect(store().readStream(id)).resolves.toEqual([]);
        await store().appendToStream(id, [newEvent('First')], 'no_stream');
        const result = await store().appendToStream(id, [newEvent('Second')], 'stream_exists');
        expect(result.nextExpectedVersion).toBe(1);
        expect((await store().readStream(id)).map((e) => e.type)).toEqual(['First', 'Second']);
      });

      it('an exact version appends only when it is the current version', async () => {
        const id = streamId('exact');
        await expectConflict(store().appendToStream(id, [newEvent('Lost')], 0), id);
        await store().appendToStream(id, [newEvent('V0'), newEvent('V1')], 'no_stream');
        await expectConflict(store().appendToStream(id, [newEvent('Stale')], 0), id);
        await expectConflict(store().appendToStream(id, [newEvent('Ahead')], 2), id);
        const result = await store().appendToStream(id, [newEvent('V2')], 1);
        expect(result.nextExpectedVersion).toBe(2);
        expect((await store().readStream(id)).map((e) => e.type)).toEqual(['V0', 'V1', 'V2']);
      });

      it("'any' appends whether or not the stream exists", async () => {
        const id = streamId('any');
        await store().appendToStream(id, [newEvent('One')], 'any');
        const result = await store().appendToStream(id, [newEvent('Two')], 'any');
        expect(result.nextExpectedVersion).toBe(1);
        expect((await store().readStream(id)).map((e) => e.type)).toEqual(['One', 'Two']);
      });

      it('of concurrent appends expecting the same version exactly one wins, the rest get ConcurrencyError', async () => {
        const id = streamId('race');
        await store().appendToStream(id, [newEvent('Start')], 'no_stream');
        const attempts = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store().appendToStream(id, [newEvent(`Try${i}`)], 0)));
        const won = attempts.filter((a) => a.status === 'fulfilled');
        const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(7);
        lost.forEach((a) => expect(a.reason).toBeInstanceOf(ConcurrencyError));
        expect(await store().readStream(id)).toHaveLength(2);
      });

      it('re-appending the same event ids with the same expected version is idempotent', async () => {
        const id = streamId('idempotent');
        const events = [newEvent('Once'), newEvent('Twice')];
        const first = await store().appendToStream(id, events, 'no_stream');
        const again = await store().appendToStream(id, events, 'no_stream');
        expect(again.nextExpectedVersion).toBe(first.nextExpectedVersion);
        expect((await store().readStream(id)).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      });
    });

    describe('readAll', () => {
      it('reads the global log after a position, in order, with limit and stream prefix', async () => {
        const before = await store().headPosition();
        const mine = prefixOf('readall-mine');
        const other = prefixOf('readall-other');
        const a = `${mine}a`;
        const b = `${mine}b`;
        const c = `${other}c`;
        await store().appendToStream(a, [newEvent('A0'), newEvent('A1')], 'no_stream');
        await store().appendToStream(c, [newEvent('C0')], 'no_stream');
        await store().appendToStream(b, [newEvent('B0')], 'no_stream');
        await store().appendToStream(a, [newEvent('A2')], 1);

        const all = await store().readAll({ after: before, limit: 1000 });
        const ours = all.filter((e) => e.streamId.startsWith(`contract-${run}-readall-`));
        expect(ours.map((e) => e.type)).toEqual(['A0', 'A1', 'C0', 'B0', 'A2']);
        expectStrictlyIncreasing(all.map((e) => e.globalPosition));
        all.forEach((e) => expect(e.globalPosition).toBeGreaterThan(before));

        const filtered = await store().readAll({ after: before, streamPrefix: mine });
        expect(filtered.map((e) => e.type)).toEqual(['A0', 'A1', 'B0', 'A2']);
        expect(filtered.every((e) => e.streamId.startsWith(mine))).toBe(true);

        const firstTwo = await store().readAll({ after: before, streamPrefix: mine, limit: 2 });
        expect(firstTwo.map((e) => e.type)).toEqual(['A0', 'A1']);
        const rest = await store().readAll({ after: firstTwo[1].globalPosition, streamPrefix: mine, limit: 10 });
        expect(rest.map((e) => e.type)).toEqual(['B0', 'A2']);
        await expect(store().readAll({ after: rest[1].globalPosition, streamPrefix: mine })).resolves.toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it(
        'catches up, goes live, delivers new events in order, and stops',
        async () => {
          const before = await store().headPosition();
          const mine = prefixOf('sub-live');
          const s1 = `${mine}1`;
          const s2 = `${mine}2`;
          await store().appendToStream(s1, [newEvent('Old1'), newEvent('Old2')], 'no_stream');
          await store().appendToStream(`${prefixOf('sub-noise')}x`, [newEvent('Noise')], 'no_stream');
          await store().appendToStream(s2, [newEvent('Old3')], 'no_stream');

          const received: RecordedEvent[] = [];
          const batchSizes: number[] = [];
          let liveAfter = -1;
          const subscription = store().subscribeToAll({
            after: before,
            streamPrefix: mine,
            batchSize: 2,
            onEvents: async (events) => {
              batchSizes.push(events.length);
              received.push(...events);
            },
            onLive: () => {
              liveAfter = received.length;
            },
          });
          try {
            await until(() => liveAfter >= 0 && received.length >= 3, 'catch-up and onLive');
            expect(liveAfter).toBe(3);
            expect(received.map((e) => e.type)).toEqual(['Old1', 'Old2', 'Old3']);

            await store().appendToStream(s1, [newEvent('New1')], 1);
            await store().appendToStream(s2, [newEvent('New2'), newEvent('New3')], 0);
            await until(() => received.length >= 6, 'live events');
            expect(received.map((e) => e.type)).toEqual(['Old1', 'Old2', 'Old3', 'New1', 'New2', 'New3']);
            expectStrictlyIncreasing(received.map((e) => e.globalPosition));
            expect(received.every((e) => e.streamId.startsWith(mine))).toBe(true);
            expect(Math.max(...batchSizes)).toBeLessThanOrEqual(2);
          } finally {
            await subscription.stop();
          }

          await store().appendToStream(s1, [newEvent('AfterStop')], 2);
          await sleep(1000);
          expect(received.map((e) => e.type)).not.toContain('AfterStop');
        },
        SLOW,
      );

      it(
        'starts strictly after the given position',
        async () => {
          const mine = prefixOf('sub-after');
          const id = `${mine}1`;
          await store().appendToStream(id, [newEvent('E0'), newEvent('E1'), newEvent('E2')], 'no_stream');
          const [, second] = await store().readStream(id);
          const received: RecordedEvent[] = [];
          let live = false;
          const subscription = store().subscribeToAll({
            after: second.globalPosition,
            streamPrefix: mine,
            onEvents: async (events) => void received.push(...events),
            onLive: () => (live = true),
          });
          try {
            await until(() => live && received.length >= 1, 'catch-up');
            expect(received.map((e) => e.type)).toEqual(['E2']);
          } finally {
            await subscription.stop();
          }
        },
        SLOW,
      );

      it(
        'stops and reports to onError when onEvents rejects',
        async () => {
          const mine = prefixOf('sub-error');
          const before = await store().headPosition();
          await store().appendToStream(`${mine}1`, [newEvent('Boom'), newEvent('Never')], 'no_stream');
          const errors: Error[] = [];
          let calls = 0;
          const subscription = store().subscribeToAll({
            after: before,
            streamPrefix: mine,
            batchSize: 1,
            onEvents: async () => {
              calls++;
              throw new Error('handler failed');
            },
            onError: (error) => errors.push(error),
          });
          try {
            await until(() => errors.length > 0, 'onError');
            expect(errors[0].message).toBe('handler failed');
            await sleep(500);
            expect(calls).toBe(1);
          } finally {
            await subscription.stop();
          }
        },
        SLOW,
      );
    });

    describe('bad input', () => {
      const cases: [string, (id: string) => unknown[]][] = [
        ['an event without a type', () => [newEvent('Fine'), { ...newEvent('X'), type: undefined }]],
        ['an event with an empty type', () => [newEvent('Fine'), { ...newEvent('X'), type: '' }]],
        ['data that is null', () => [newEvent('Fine'), { ...newEvent('X'), data: null }]],
        ['data that is an array', () => [newEvent('Fine'), { ...newEvent('X'), data: [1, 2] }]],
        ['data that is a string', () => [newEvent('Fine'), { ...newEvent('X'), data: 'text' }]],
        ['a schemaVersion of 0', () => [newEvent('Fine'), { ...newEvent('X'), schemaVersion: 0 }]],
        ['an eventId that is not a UUID', () => [newEvent('Fine'), { ...newEvent('X'), eventId: 'not-a-uuid' }]],
        ['no events at all', () => []],
      ];
      it.each(cases)('refuses %s with ValidationError and appends nothing', async (_label, make) => {
        const id = streamId('invalid');
        await expect(store().appendToStream(id, make(id) as NewEvent[], 'any')).rejects.toBeInstanceOf(ValidationError);
        await expect(store().readStream(id)).resolves.toEqual([]);
      });

      it('refuses an empty stream id with ValidationError', async () => {
        await expect(store().appendToStream('', [newEvent('Orphan')], 'any')).rejects.toBeInstanceOf(ValidationError);
      });

      it('refuses an invalid expected version with ValidationError', async () => {
        const id = streamId('invalid-version');
        await expect(store().appendToStream(id, [newEvent('X')], -2 as ExpectedVersion)).rejects.toBeInstanceOf(ValidationError);
        await expect(store().appendToStream(id, [newEvent('X')], 'latest' as unknown as ExpectedVersion)).rejects.toBeInstanceOf(ValidationError);
        await expect(store().readStream(id)).resolves.toEqual([]);
      });
    });
  });
}

function newEvent(type: string, data: object = { at: type }): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { correlationId: randomUUID(), causationId: randomUUID() },
  };
}

function stripRecorded(e: RecordedEvent) {
  return { eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata, streamId: e.streamId };
}

async function expectConflict(append: Promise<unknown>, streamId: string): Promise<void> {
  const error = await append.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConcurrencyError);
  expect((error as ConcurrencyError).streamId).toBe(streamId);
}

function expectStrictlyIncreasing(positions: readonly bigint[]): void {
  positions.forEach((p, i) => {
    if (i > 0) expect(p).toBeGreaterThan(positions[i - 1]);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}
