import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '@city/eventsourcing';
import { ConcurrencyError } from '@city/eventsourcing';
import { DuplicateEventError } from './errors';
import type { PostgresEventStore } from './postgres-event-store';

/**
 * Group-commit behaviour of the PostgreSQL adapter beyond the shared port
 * contract, run on a real server and on PGlite: the batch is one transaction,
 * each call is checked on its own, and only the offending caller fails.
 * `factory` gets the hook to pass as `onAppended` (one call per committed batch).
 */
export function describeGroupCommitBehaviour(
  name: string,
  factory: (onAppended: (events: readonly RecordedEvent[]) => void) => Promise<{ store: PostgresEventStore; cleanup(): Promise<void> }>,
): void {
  describe(`PostgresEventStore group commit: ${name}`, () => {
    let store: PostgresEventStore;
    let cleanup: () => Promise<void>;
    const batches: RecordedEvent[][] = [];

    beforeAll(async () => {
      ({ store, cleanup } = await factory((events) => batches.push([...events])));
    }, 60_000);

    afterAll(async () => {
      await cleanup();
    });

    beforeEach(() => {
      batches.length = 0;
    });

    it('commits concurrent appends in one transaction and fails only the caller whose expected version is wrong', async () => {
      const streams = Array.from({ length: 10 }, (_, i) => `gc.ok-${i}`);
      await Promise.all(streams.map((s) => store.appendToStream(s, [newEvent('Opened')], 'no_stream')));
      await store.appendToStream('gc.conflict', [newEvent('Opened'), newEvent('Moved')], 'no_stream');
      batches.length = 0;

      const outcomes = await Promise.allSettled([
        ...streams.map((s) => store.appendToStream(s, [newEvent('Visited'), newEvent('Closed')], 0)),
        store.appendToStream('gc.conflict', [newEvent('Lost')], 0), // actual version is 1
        store.appendToStream('gc.new', [newEvent('Opened')], 'no_stream'),
      ]);

      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toBeInstanceOf(ConcurrencyError);
      expect(rejected[0].reason).toMatchObject({ streamId: 'gc.conflict', actual: 1 });
      expect(outcomes.slice(0, 10).every((o) => o.status === 'fulfilled')).toBe(true);

      // One transaction: one onAppended call with all 21 events, one commit time, consecutive positions.
      expect(batches).toHaveLength(1);
      expect(batches[0]).toHaveLength(21);
      expect(new Set(batches[0].map((e) => e.recordedAt)).size).toBe(1);
      const positions = batches[0].map((e) => e.globalPosition);
      expect(positions).toEqual(positions.map((_, i) => positions[0] + BigInt(i)));

      for (const s of streams) expect((await store.readStream(s)).map((e) => e.type)).toEqual(['Opened', 'Visited', 'Closed']);
      expect((await store.readStream('gc.conflict')).map((e) => e.type)).toEqual(['Opened', 'Moved']);
    });

    it('writes a batch of calls on streams of their own (the set-based path) with positions in call order and each stream continued', async () => {
      await store.appendToStream('gc.set-old', [newEvent('Opened'), newEvent('Moved')], 'no_stream');
      await store.appendToStream('gc.set-any', [newEvent('Opened')], 'no_stream');
      batches.length = 0;

      const results = await Promise.all([
        store.appendToStream('gc.set-new', [newEvent('A'), newEvent('B'), newEvent('C')], 'no_stream'),
        store.appendToStream('gc.set-old', [newEvent('Visited')], 1),
        store.appendToStream('gc.set-any', [newEvent('Again'), newEvent('More')], 'any'),
        store.appendToStream('gc.set-exists', [newEvent('Lone')], 'any'),
      ]);

      expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 2, 2, 0]);
      expect(batches).toHaveLength(1);
      const written = batches[0].map((e) => [e.streamId, e.streamVersion, e.type]);
      expect(written).toEqual([
        ['gc.set-new', 0, 'A'],
        ['gc.set-new', 1, 'B'],
        ['gc.set-new', 2, 'C'],
        ['gc.set-old', 2, 'Visited'],
        ['gc.set-any', 1, 'Again'],
        ['gc.set-any', 2, 'More'],
        ['gc.set-exists', 0, 'Lone'],
      ]);
      const positions = batches[0].map((e) => e.globalPosition);
      expect(positions).toEqual(positions.map((_, i) => positions[0] + BigInt(i)));
      expect(results.map((r) => r.lastPosition)).toEqual([positions[2], positions[3], positions[5], positions[6]]);
      const stored = await store.readAll({ after: positions[0] - 1n, limit: 10 });
      expect(stored.map((e) => [e.streamId, e.streamVersion, e.type, e.globalPosition])).toEqual(
        batches[0].map((e) => [e.streamId, e.streamVersion, e.type, e.globalPosition]),
      );
      expect((await store.readStream('gc.set-old')).map((e) => e.type)).toEqual(['Opened', 'Moved', 'Visited']);
      // The streams' versions moved: the next exact appends fit them.
      await expect(store.appendToStream('gc.set-new', [newEvent('D')], 2)).resolves.toMatchObject({ nextExpectedVersion: 3 });
      await expect(store.appendToStream('gc.set-exists', [newEvent('Two')], 0)).resolves.toMatchObject({ nextExpectedVersion: 1 });
    });

    it('checks each expected version against the stream as earlier appends of the same batch left it', async () => {
      const outcomes = await Promise.allSettled([
        store.appendToStream('gc.chain', [newEvent('V0')], 'no_stream'),
        store.appendToStream('gc.chain', [newEvent('V1')], 0),
        store.appendToStream('gc.chain', [newEvent('Stale')], 0),
        store.appendToStream('gc.chain', [newEvent('V2')], 'stream_exists'),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(batches).toHaveLength(1);
      expect((await store.readStream('gc.chain')).map((e) => e.type)).toEqual(['V0', 'V1', 'V2']);
    });

    it('treats an exact retry as idempotent and a reused event id as that caller’s error only', async () => {
      const original = [newEvent('Registered'), newEvent('Confirmed')];
      const first = await store.appendToStream('gc.retry', original, 'no_stream');
      const stolen = newEvent('Stolen');
      await store.appendToStream('gc.owner', [stolen], 'no_stream');
      batches.length = 0;

      const [retry, retryAny, reuse, partial, other] = await Promise.allSettled([
        store.appendToStream('gc.retry', original, 'no_stream'),
        store.appendToStream('gc.retry', original, 'any'),
        store.appendToStream('gc.thief', [stolen], 'no_stream'),
        store.appendToStream('gc.retry', [original[1], newEvent('Extra')], 1),
        store.appendToStream('gc.bystander', [newEvent('Fine')], 'no_stream'),
      ]);

      expect(retry).toEqual({ status: 'fulfilled', value: first });
      expect(retryAny).toEqual({ status: 'fulfilled', value: first });
      expect(reuse.status === 'rejected' && reuse.reason).toBeInstanceOf(DuplicateEventError);
      expect(partial.status === 'rejected' && partial.reason).toBeInstanceOf(DuplicateEventError);
      expect(other.status).toBe('fulfilled');
      expect(batches.flat().map((e) => e.type)).toEqual(['Fine']);
      expect(await store.readStream('gc.thief')).toEqual([]);
      expect((await store.readStream('gc.retry')).map((e) => e.eventId)).toEqual(original.map((e) => e.eventId));
    });

    it('sees event ids appended earlier in the same batch', async () => {
      const shared = newEvent('Shared');
      const [first, retry, reuse] = await Promise.allSettled([
        store.appendToStream('gc.same-batch', [shared], 'no_stream'),
        store.appendToStream('gc.same-batch', [shared], 'no_stream'),
        store.appendToStream('gc.same-batch-other', [shared], 'no_stream'),
      ]);
      expect(first.status).toBe('fulfilled');
      expect(retry).toEqual(first);
      expect(reuse.status === 'rejected' && reuse.reason).toBeInstanceOf(DuplicateEventError);
      expect((await store.readStream('gc.same-batch')).map((e) => e.eventId)).toEqual([shared.eventId]);
      expect(await store.readStream('gc.same-batch-other')).toEqual([]);
    });

    it('answers an exact retry within the same batch as idempotent, even alone', async () => {
      const shared = newEvent('Shared');
      const [first, retry] = await Promise.allSettled([
        store.appendToStream('gc.same-batch-2', [shared], 'no_stream'),
        store.appendToStream('gc.same-batch-2', [shared], 'no_stream'),
      ]);
      expect(first.status).toBe('fulfilled');
      expect(retry).toEqual(first);
      expect(batches).toHaveLength(1);
    });

    it('answers concurrent stream reads together, each with its own stream from its own version', async () => {
      await store.appendToStream('gc.read-a', [newEvent('A0'), newEvent('A1'), newEvent('A2')], 'no_stream');
      await store.appendToStream('gc.read-b', [newEvent('B0')], 'no_stream');
      const [a, aTail, b, missing, again] = await Promise.all([
        store.readStream('gc.read-a'),
        store.readStream('gc.read-a', { fromVersion: 2 }),
        store.readStream('gc.read-b'),
        store.readStream('gc.read-missing'),
        store.readStream('gc.read-a'),
      ]);
      expect(a.map((e) => [e.type, e.streamVersion])).toEqual([
        ['A0', 0],
        ['A1', 1],
        ['A2', 2],
      ]);
      expect(aTail.map((e) => e.type)).toEqual(['A2']);
      expect(b.map((e) => e.type)).toEqual(['B0']);
      expect(missing).toEqual([]);
      expect(again).toEqual(a);
      expect(again).not.toBe(a); // each caller owns its answer
    });
  });
}

function newEvent(type: string): NewEvent {
  return { eventId: randomUUID(), type, schemaVersion: 1, data: { type }, metadata: { correlationId: randomUUID(), causationId: randomUUID() } };
}
