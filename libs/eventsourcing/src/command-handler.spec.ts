import { CommandHandler } from './command-handler';
import type { Decider } from './decider';
import { assertNever } from './decider';
import { ConcurrencyError, RuleViolationError } from './errors';
import type { EventStore } from './event-store';
import { StreamStateCache } from './stream-state-cache';
import { InMemoryEventStore } from './testing';

// A tiny counter decider: enough to exercise loading, deciding, appending and retrying.
type Cmd = { type: 'Increment'; by: number } | { type: 'Noop' };
type Evt = { type: 'Incremented'; data: { by: number } };
type State = { total: number };
const counter: Decider<Cmd, Evt, State> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.by }),
  decide: (c, s) => {
    switch (c.type) {
      case 'Increment':
        if (s.total + c.by > 10) throw new RuleViolationError('counter-max-10', 'at most 10');
        return [{ type: 'Incremented', data: { by: c.by } }];
      case 'Noop':
        return [];
      default:
        return assertNever(c);
    }
  },
};
const metadata = { correlationId: 'c-1', causationId: 'c-1' };

describe('CommandHandler', () => {
  it('loads the stream, decides and appends with the version it read', async () => {
    const store = new InMemoryEventStore();
    const handler = new CommandHandler(store, counter);
    await handler.handle('counter-1', { type: 'Increment', by: 2 }, { metadata });
    const result = await handler.handle('counter-1', { type: 'Increment', by: 3 }, { metadata });
    expect(result.state).toEqual({ total: 5 });
    expect(result.nextExpectedVersion).toBe(1);
    const stored = await store.readStream('counter-1');
    expect(stored.map((e) => e.data)).toEqual([{ by: 2 }, { by: 3 }]);
    expect(stored[1].metadata).toEqual(metadata);
  });

  it('appends nothing when the decider decides nothing', async () => {
    const store = new InMemoryEventStore();
    const result = await new CommandHandler(store, counter).handle('counter-1', { type: 'Noop' }, { metadata });
    expect(result.events).toEqual([]);
    expect(await store.headPosition()).toBe(0n);
  });

  it('lets a rule violation through and appends nothing', async () => {
    const store = new InMemoryEventStore();
    await expect(new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 11 }, { metadata })).rejects.toThrow(RuleViolationError);
    expect(await store.readAll()).toEqual([]);
  });

  it('retries after a version conflict, deciding on the fresh state', async () => {
    const inner = new InMemoryEventStore();
    let raced = false;
    // Another writer sneaks in between our read and our append, once.
    const racing: EventStore = Object.assign(Object.create(inner) as EventStore, {
      appendToStream: async (...args: Parameters<EventStore['appendToStream']>) => {
        if (!raced) {
          raced = true;
          await inner.appendToStream('counter-1', [{ eventId: 'other', type: 'Incremented', schemaVersion: 1, data: { by: 9 }, metadata }], 'any');
        }
        return inner.appendToStream(...args);
      },
    });
    const handler = new CommandHandler(racing, counter);
    // With the racer's 9 the total would be 11 > 10: the retry must decide again and refuse.
    await expect(handler.handle('counter-1', { type: 'Increment', by: 2 }, { metadata })).rejects.toThrow(RuleViolationError);
    const ok = await handler.handle('counter-1', { type: 'Increment', by: 1 }, { metadata });
    expect(ok.state).toEqual({ total: 10 });
  });

  it('gives up with ConcurrencyError after the bounded number of retries', async () => {
    const inner = new InMemoryEventStore();
    const alwaysConflicting: EventStore = Object.assign(Object.create(inner) as EventStore, {
      appendToStream: async () => {
        throw new ConcurrencyError('counter-1', '0', 1);
      },
    });
    let reads = 0;
    alwaysConflicting.readStream = async (s) => {
      reads++;
      return inner.readStream(s);
    };
    await expect(
      new CommandHandler(alwaysConflicting, counter, { maxRetries: 2 }).handle('counter-1', { type: 'Increment', by: 1 }, { metadata }),
    ).rejects.toThrow(ConcurrencyError);
    expect(reads).toBe(3);
  });

  it('uses the given event ids and schema versions', async () => {
    const store = new InMemoryEventStore();
    await new CommandHandler(store, counter).handle(
      'counter-1',
      { type: 'Increment', by: 1 },
      { metadata, eventId: (i) => `visit-7-${i}`, schemaVersions: { Incremented: 2 } },
    );
    const [e] = await store.readStream('counter-1');
    expect(e.eventId).toBe('visit-7-0');
    expect(e.schemaVersion).toBe(2);
  });

  it('checks the version the caller saw before deciding, as Emmett does', async () => {
    const store = new InMemoryEventStore();
    const handler = new CommandHandler(store, counter);
    await handler.handle('counter-1', { type: 'Increment', by: 1 }, { metadata });
    await handler.handle('counter-1', { type: 'Increment', by: 1 }, { metadata, expectedVersion: 0 });
    await expect(handler.handle('counter-1', { type: 'Increment', by: 1 }, { metadata, expectedVersion: 0 })).rejects.toThrow(
      'Stream counter-1 is at version 1, expected 0',
    );
    expect(await store.readStream('counter-1')).toHaveLength(2);
  });

  it('builds each event’s metadata after deciding, from the event', async () => {
    const store = new InMemoryEventStore();
    await new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 3 }, { metadata: (e) => ({ ...metadata, by: String(e.data.by) }) });
    const [e] = await store.readStream('counter-1');
    expect(e.metadata).toEqual({ ...metadata, by: '3' });
  });

  describe('with a stream state cache', () => {
    /** An in-memory store that counts the stream reads. */
    function countingStore(): { store: InMemoryEventStore; reads: () => number } {
      const store = new InMemoryEventStore();
      let reads = 0;
      const readStream = store.readStream.bind(store);
      store.readStream = async (streamId) => {
        reads++;
        return readStream(streamId);
      };
      return { store, reads: () => reads };
    }

    it('decides the next command on a stream it wrote without reading it back', async () => {
      const { store, reads } = countingStore();
      const handler = new CommandHandler(store, counter, { cache: new StreamStateCache() });
      await handler.handle('counter-1', { type: 'Increment', by: 2 }, { metadata });
      await handler.handle('counter-1', { type: 'Increment', by: 3 }, { metadata });
      const result = await handler.handle('counter-1', { type: 'Increment', by: 4 }, { metadata });
      expect(reads()).toBe(1);
      expect(result.state).toEqual({ total: 9 });
      expect(result.nextExpectedVersion).toBe(2);
      expect((await store.readStream('counter-1')).map((e) => e.data)).toEqual([{ by: 2 }, { by: 3 }, { by: 4 }]);
    });

    it('re-reads after another writer appended, and decides on what it wrote', async () => {
      const { store, reads } = countingStore();
      const handler = new CommandHandler(store, counter, { cache: new StreamStateCache() });
      await handler.handle('counter-1', { type: 'Increment', by: 2 }, { metadata });
      // Another replica, without this cache, takes the counter to 10.
      await new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 8 }, { metadata });
      await expect(handler.handle('counter-1', { type: 'Increment', by: 1 }, { metadata })).rejects.toThrow(RuleViolationError);
      expect(reads()).toBe(3);
      expect((await store.readStream('counter-1')).map((e) => e.data)).toEqual([{ by: 2 }, { by: 8 }]);
    });

    it('checks an expected version against the stream, not against a stale copy', async () => {
      const { store, reads } = countingStore();
      const handler = new CommandHandler(store, counter, { cache: new StreamStateCache() });
      await handler.handle('counter-1', { type: 'Increment', by: 1 }, { metadata });
      await new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 1 }, { metadata });
      const result = await handler.handle('counter-1', { type: 'Increment', by: 1 }, { metadata, expectedVersion: 1 });
      expect(result.nextExpectedVersion).toBe(2);
      // Its first command, the other writer's, and the re-read the stale copy caused.
      expect(reads()).toBe(3);
    });

    it('hands out the state of a stream it knows without reading it, and then decides on it without reading', async () => {
      const { store, reads } = countingStore();
      await new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 2 }, { metadata });
      const handler = new CommandHandler(store, counter, { cache: new StreamStateCache() });
      expect(await handler.state('counter-1')).toEqual({ total: 2 });
      expect(await handler.state('counter-1')).toEqual({ total: 2 });
      await handler.handle('counter-1', { type: 'Increment', by: 1 }, { metadata });
      expect(reads()).toBe(2);
      // A stream it saw empty is read again: someone may have written it since.
      expect(await handler.state('counter-2')).toEqual({ total: 0 });
      await new CommandHandler(store, counter).handle('counter-2', { type: 'Increment', by: 5 }, { metadata });
      expect(await handler.state('counter-2')).toEqual({ total: 5 });
    });

    it('does not refuse on a stale copy: a refusal is decided again on the stream', async () => {
      const { store } = countingStore();
      await new CommandHandler(store, counter).handle('counter-1', { type: 'Increment', by: 1 }, { metadata });
      const cache = new StreamStateCache<State>();
      cache.set('counter-1', { version: 0, state: { total: 10 } });
      const result = await new CommandHandler(store, counter, { cache }).handle('counter-1', { type: 'Increment', by: 2 }, { metadata });
      expect(result.state).toEqual({ total: 3 });
      expect(cache.get('counter-1')).toEqual({ version: 1, state: { total: 3 } });
    });

    it('answers "nothing to do" from the stream, not from the copy', async () => {
      const { store, reads } = countingStore();
      const cache = new StreamStateCache<State>();
      const handler = new CommandHandler(store, counter, { cache });
      await handler.handle('counter-1', { type: 'Increment', by: 1 }, { metadata });
      cache.set('counter-1', { version: 5, state: { total: 7 } });
      const result = await handler.handle('counter-1', { type: 'Noop' }, { metadata });
      expect(reads()).toBe(2);
      expect(result.nextExpectedVersion).toBe(0);
      expect(result.state).toEqual({ total: 1 });
    });

    it('forgets the stream when an append fails', async () => {
      const inner = new InMemoryEventStore();
      const failing: EventStore = Object.assign(Object.create(inner) as EventStore, {
        appendToStream: async () => {
          throw new Error('connection lost');
        },
      });
      const cache = new StreamStateCache<State>();
      cache.set('counter-1', { version: -1, state: { total: 0 } });
      await expect(new CommandHandler(failing, counter, { cache }).handle('counter-1', { type: 'Increment', by: 1 }, { metadata })).rejects.toThrow(
        'connection lost',
      );
      expect(cache.get('counter-1')).toBeUndefined();
    });
  });
});
