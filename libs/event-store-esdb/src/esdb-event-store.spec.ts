import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  AccessDeniedError,
  BACKWARDS,
  EVENT_TYPE,
  type EventStoreDBClient,
  type Filter,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_NAME,
  StreamDeletedError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { ConcurrencyError, type NewEvent, RuleViolationError, ValidationError } from '@city/eventsourcing';
import { AppendTooLargeError, StreamTombstonedError } from './esdb-errors';
import { EventStoreDbEventStore, EventStoreDbUnavailableError, STORE_IDENTITY_STREAM } from './esdb-event-store';
import { EventStoreDbSubscriptionError } from './esdb-subscription';

/*
 * The adapter against the client's behaviour as @eventstore/db-client 6.2 has it (read in its
 * source): a double of the client answering as the real one does, since no server runs here.
 * The contract suite (esdb-event-store.int.spec.ts) runs the same against a server.
 */

const event = (data: Record<string, unknown> = { unitId: 'u-1' }): NewEvent => ({
  eventId: randomUUID(),
  type: 'UnitRegistered',
  schemaVersion: 1,
  data,
  metadata: { correlationId: 'c', causationId: 'c' },
});

interface StoredEvent {
  streamId: string;
  type: string;
  commit: bigint;
  id?: string;
}

/** What the adapter uses of the client, answering as the client does. */
class ClientDouble {
  appends: { streamId: string }[] = [];
  appendAnswer: () => Promise<unknown> = async () => ({ success: true, nextExpectedRevision: 0n, position: { commit: 100n, prepare: 100n } });
  log: StoredEvent[] = [];
  /** `readAll` never answers (a node that is down behind a live TCP connection). */
  hang = false;
  cancelled = 0;
  /** Forward reads of `$all`: the client cannot filter them, so the adapter must not use them to search. */
  forwardReads = 0;
  subscriptions = 0;
  /** Options of every `subscribeToAll`, as the server would get them. */
  readonly subscribed: { fromPosition?: unknown; filter?: Filter }[] = [];
  /** Events the server sent to the client (after its filter). */
  sent = 0;
  unsubscribed = 0;
  /** The server sends `caughtUp` once at the head (23.10+); older ones only filter checkpoints. */
  caughtUpSignal = true;
  /** When set, every subscription fails with it. */
  subscriptionError?: () => Error;
  readonly metadata = new Map<string, Record<string, unknown>>();

  async appendToStream(streamId: string): Promise<unknown> {
    this.appends.push({ streamId });
    return this.appendAnswer();
  }

  readAll(options: { fromPosition?: unknown; direction?: unknown; maxCount?: number | bigint }) {
    const forwards = options.direction !== BACKWARDS;
    if (forwards) this.forwardReads++;
    const from =
      typeof options.fromPosition === 'object' && options.fromPosition !== null
        ? (options.fromPosition as { commit: bigint }).commit
        : forwards
          ? 0n
          : undefined;
    const selected = forwards ? this.log.filter((e) => from === undefined || e.commit >= from) : [...this.log].reverse();
    const page = selected.slice(0, Number(options.maxCount ?? selected.length));
    const hang = this.hang;
    const onCancel = () => void this.cancelled++;
    return {
      cancel: async () => onCancel(),
      async *[Symbol.asyncIterator]() {
        if (hang) await new Promise(() => undefined);
        for (const e of page) yield resolvedOf(e);
      },
    };
  }

  /** A subscription as the client makes it (a readable of resolved events), served from `log` through the server's filter. */
  subscribeToAll(options: { fromPosition?: unknown; filter?: Filter } = {}) {
    this.subscriptions++;
    this.subscribed.push(options);
    if (this.subscriptionError) {
      const error = this.subscriptionError();
      return {
        readableLength: 0,
        on: () => undefined,
        unsubscribe: async () => undefined,
        destroy: () => undefined,
        // eslint-disable-next-line require-yield
        async *[Symbol.asyncIterator]() {
          throw error;
        },
      };
    }
    const from = typeof options.fromPosition === 'object' && options.fromPosition !== null ? (options.fromPosition as { commit: bigint }).commit : 0n;
    const stream = Object.assign(new PassThrough({ objectMode: true }), { unsubscribe: async () => void this.unsubscribed++ });
    const filter = options.filter;
    const passes = (e: StoredEvent) =>
      !filter ||
      (filter.filterOn === STREAM_NAME && 'prefixes' in filter && filter.prefixes.some((p) => e.streamId.startsWith(p))) ||
      (filter.filterOn === EVENT_TYPE && 'regex' in filter && new RegExp(filter.regex).test(e.type));
    const checkpoint = async (commit: bigint) => filter?.checkpointReached?.(stream as never, { commit, prepare: commit });
    setImmediate(async () => {
      // The server starts AT `fromPosition`, filters, and sends a checkpoint every 2 events it skipped (a small window).
      let skipped = 0;
      for (const e of this.log.filter((l) => l.commit >= from)) {
        if (stream.destroyed) return;
        if (passes(e)) {
          this.sent++;
          stream.write(resolvedOf(e));
        } else if (++skipped % 2 === 0) await checkpoint(e.commit);
      }
      if (stream.destroyed) return;
      if (this.caughtUpSignal) stream.emit('caughtUp');
      else await checkpoint(this.log.at(-1)?.commit ?? 0n);
    });
    return stream;
  }

  async getStreamMetadata(streamName: string) {
    const metadata = this.metadata.get(streamName);
    return metadata ? { streamName, metadata } : { streamName };
  }

  async setStreamMetadata(streamName: string, metadata: Record<string, unknown>, options: { expectedRevision?: unknown }) {
    if (options.expectedRevision === NO_STREAM && this.metadata.has(streamName))
      throw new WrongExpectedVersionError(undefined, { streamName, expected: NO_STREAM, current: 0n } as never);
    this.metadata.set(streamName, metadata);
    return { success: true, nextExpectedRevision: 0n };
  }

  async dispose(): Promise<void> {
    return undefined;
  }
}

function resolvedOf(e: StoredEvent) {
  return {
    event: {
      streamId: e.streamId,
      id: e.id ?? randomUUID(),
      type: e.type,
      isJson: true,
      revision: 0n,
      created: new Date(),
      data: {},
      metadata: {},
      position: { commit: e.commit, prepare: e.commit },
    },
  };
}

function storeOn(client: ClientDouble, options: ConstructorParameters<typeof EventStoreDbEventStore>[1] = {}): EventStoreDbEventStore {
  return new EventStoreDbEventStore(client as unknown as EventStoreDBClient, { resubscribe: { initialDelayMs: 1, maxDelayMs: 5 }, ...options });
}

describe('EventStoreDB adapter, appends', () => {
  it('takes a `{ success: false }` answer (throwOnAppendFailure=false) as the conflict it is', async () => {
    const client = new ClientDouble();
    client.appendAnswer = async () => ({ success: false, nextExpectedRevision: 4n, position: undefined });
    const error = await storeOn(client)
      .appendToStream('canvass.unit-1', [event()], 2)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ streamId: 'canvass.unit-1', expected: '2', actual: 4 });
  });

  it('refuses a $-prefixed stream id and the nil UUID as client mistakes, before calling the server', async () => {
    const client = new ClientDouble();
    const store = storeOn(client);
    const system = await store.appendToStream('$canvass', [event()], 'any').catch((e: unknown) => e);
    expect(system).toBeInstanceOf(ValidationError);
    expect((system as ValidationError).fields).toHaveProperty('streamId');
    const nil = await store.appendToStream('canvass.unit-1', [{ ...event(), eventId: '00000000-0000-0000-0000-000000000000' }], 'any').catch((e: unknown) => e);
    expect(nil).toBeInstanceOf(ValidationError);
    expect((nil as ValidationError).fields).toHaveProperty(['events[0].eventId']);
    expect(client.appends).toEqual([]);
  });

  it('refuses an append over the server’s 1 MiB as too large (a 400), before calling the server', async () => {
    const client = new ClientDouble();
    const big = event({ note: 'x'.repeat(1024 * 1024) });
    const error = await storeOn(client)
      .appendToStream('canvass.unit-1', [big], 'any')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppendTooLargeError);
    expect(error).toBeInstanceOf(ValidationError);
    expect(client.appends).toEqual([]);
  });

  it('maps the server’s own size refusal and a tombstoned stream to typed errors', async () => {
    const client = new ClientDouble();
    const store = storeOn(client);
    client.appendAnswer = () => Promise.reject(MaxAppendSizeExceededError.fromMaxAppendSize(512 * 1024));
    expect(await store.appendToStream('canvass.unit-1', [event()], 'any').catch((e: unknown) => e)).toBeInstanceOf(AppendTooLargeError);
    client.appendAnswer = () => Promise.reject(StreamDeletedError.fromStreamName('canvass.unit-1'));
    const deleted = await store.appendToStream('canvass.unit-1', [event()], 'any').catch((e: unknown) => e);
    expect(deleted).toBeInstanceOf(StreamTombstonedError);
    expect(deleted).toBeInstanceOf(RuleViolationError);
  });
});

describe('EventStoreDB adapter, reads', () => {
  it('gives up a ping at its deadline and cancels the read, although the client reads $all without one', async () => {
    const client = new ClientDouble();
    client.hang = true;
    const error = await storeOn(client, { pingDeadlineMs: 50 })
      .ping()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventStoreDbUnavailableError);
    expect(client.cancelled).toBe(1);
  });

  it('counts the relay’s lag in events of its streams, not in log bytes nor system events', async () => {
    const client = new ClientDouble();
    client.log = [
      { streamId: 'canvass.unit-1', type: 'UnitRegistered', commit: 1_000n },
      { streamId: '$stats-127.0.0.1:2113', type: '$statsCollected', commit: 90_000n },
      { streamId: 'canvass.unit-2', type: 'UnitRegistered', commit: 95_000n },
      { streamId: 'traveller-health.person-1', type: 'ArrivalRegistered', commit: 99_000n },
      { streamId: 'canvass.unit-1', type: 'UnitSizeUpdated', commit: 120_000n },
    ];
    const store = storeOn(client);
    expect(await store.countEvents({ after: 1_000n, streamPrefix: 'canvass.', max: 100 })).toBe(2);
    expect(await store.countEvents({ after: 120_000n, streamPrefix: 'canvass.', max: 100 })).toBe(0);
    expect(await store.countEvents({ after: 0n, streamPrefix: 'canvass.', max: 2 })).toBe(2);
  });
});

/** A log as a node has it: the city's events among system events and other departments' streams. */
function mixedLog(): StoredEvent[] {
  return [
    { streamId: '$stats-127.0.0.1:2113', type: '$statsCollected', commit: 500n },
    { streamId: 'canvass.unit-1', type: 'UnitRegistered', commit: 1_000n, id: 'c1' },
    { streamId: '$$city.store-identity', type: '$metadata', commit: 2_000n },
    { streamId: 'traveller-health.person-1', type: 'ArrivalRegistered', commit: 3_000n, id: 't1' },
    { streamId: 'canvass.unit-2', type: 'UnitRegistered', commit: 4_000n, id: 'c2' },
    { streamId: '$stats-127.0.0.1:2113', type: '$statsCollected', commit: 5_000n },
    { streamId: '$stats-127.0.0.1:2113', type: '$statsCollected', commit: 6_000n },
    { streamId: 'canvass.unit-1', type: 'CanvassVisitRecorded', commit: 7_000n, id: 'c3' },
    { streamId: '$stats-127.0.0.1:2113', type: '$statsCollected', commit: 8_000n },
  ];
}

describe('EventStoreDB adapter, catch-up reads of $all filtered on the server', () => {
  it('asks the server for the stream-name prefix: only the matching events reach the client, and $all is never scanned here', async () => {
    const client = new ClientDouble();
    client.log = mixedLog();
    const events = await storeOn(client).readAll({ streamPrefix: 'canvass.' });
    expect(events.map((e) => e.eventId)).toEqual(['c1', 'c2', 'c3']);
    expect(client.subscribed).toHaveLength(1);
    expect(client.subscribed[0].filter).toMatchObject({ filterOn: STREAM_NAME, prefixes: ['canvass.'] });
    expect(client.sent).toBe(3);
    expect(client.forwardReads).toBe(0);
    expect(client.unsubscribed).toBe(1);
  });

  it('without a prefix asks the server to leave out system events ($-types)', async () => {
    const client = new ClientDouble();
    client.log = mixedLog();
    const events = await storeOn(client).readAll();
    expect(events.map((e) => e.eventId)).toEqual(['c1', 't1', 'c2', 'c3']);
    expect(client.subscribed[0].filter).toMatchObject({ filterOn: EVENT_TYPE, regex: '^[^$].*' });
    expect(client.sent).toBe(4);
  });

  it('reads after `after`, stops at `limit`, and answers an empty page at the head without asking the server', async () => {
    const client = new ClientDouble();
    client.log = mixedLog();
    const store = storeOn(client);
    expect((await store.readAll({ after: 1_000n, streamPrefix: 'canvass.', limit: 1 })).map((e) => e.eventId)).toEqual(['c2']);
    expect(client.subscribed[0].fromPosition).toEqual({ commit: 1_000n, prepare: 1_000n });
    expect((await store.readAll({ after: 4_000n, streamPrefix: 'canvass.' })).map((e) => e.eventId)).toEqual(['c3']);
    expect(await store.readAll({ after: 8_000n, streamPrefix: 'canvass.' })).toEqual([]);
    expect(client.subscribed).toHaveLength(2);
  });

  it('ends at the head on a server without the caught-up signal too: the filter checkpoint past the head ends it', async () => {
    const client = new ClientDouble();
    client.caughtUpSignal = false;
    client.log = mixedLog();
    const events = await storeOn(client).readAll({ after: 7_000n, streamPrefix: 'canvass.' });
    expect(events).toEqual([]);
    expect(client.unsubscribed).toBe(1);
  });

  it('subscribes to $all with the same server-side filter', async () => {
    const client = new ClientDouble();
    client.log = mixedLog();
    const received: string[] = [];
    const subscription = storeOn(client).subscribeToAll({
      streamPrefix: 'canvass.',
      onEvents: async (events) => void received.push(...events.map((e) => e.eventId)),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await subscription.stop();
    expect(received).toEqual(['c1', 'c2', 'c3']);
    expect(client.subscribed[0].filter).toMatchObject({ filterOn: STREAM_NAME, prefixes: ['canvass.'] });
  });
});

describe('EventStoreDB adapter, connection strings', () => {
  it('refuses tlsVerifyCert=false, which the client ignores, naming tlsCAFile instead', () => {
    expect(() => EventStoreDbEventStore.fromConnectionString('esdb://node:2113?tls=true&tlsVerifyCert=false')).toThrow(/tlsCAFile/);
    expect(() => EventStoreDbEventStore.fromConnectionString('esdb://node:2113?tlsVerifyCert=FALSE')).toThrow(ValidationError);
  });

  it('takes a secured node’s CA file', async () => {
    const store = EventStoreDbEventStore.fromConnectionString('esdb://admin:changeit@node:2113?tls=true&tlsCAFile=/dev/null');
    await store.close();
  });
});

describe('EventStoreDB adapter, identity', () => {
  it('draws the store id once and keeps it in the metadata of city.store-identity: the same for every client of the node, another for another node', async () => {
    const node = new ClientDouble();
    const first = await storeOn(node).identity();
    expect(first).toMatch(/^esdb:[0-9a-f-]{36}$/);
    expect(await storeOn(node).identity()).toBe(first);
    expect(node.metadata.get(STORE_IDENTITY_STREAM)).toEqual({ storeId: first.slice('esdb:'.length) });
    expect(await storeOn(new ClientDouble()).identity()).not.toBe(first);
  });

  it('takes the id another process drew first when both draw at once', async () => {
    const node = new ClientDouble();
    const getStreamMetadata = node.getStreamMetadata.bind(node);
    let reads = 0;
    // The other process writes its id between this one's read and its write.
    node.getStreamMetadata = async (name: string) => {
      const answer = await getStreamMetadata(name);
      if (reads++ === 0) node.metadata.set(name, { storeId: 'drawn-by-the-other-process' });
      return answer;
    };
    expect(await storeOn(node).identity()).toBe('esdb:drawn-by-the-other-process');
  });
});

describe('EventStoreDB adapter, subscriptions', () => {
  it('reports an error no retry cures (access denied: a non-admin user on a secured node) and stops', async () => {
    const client = new ClientDouble();
    client.subscriptionError = () => new AccessDeniedError();
    const errors: Error[] = [];
    const subscription = storeOn(client).subscribeToAll({ onEvents: async () => undefined, onError: (e) => errors.push(e) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await subscription.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(EventStoreDbSubscriptionError);
    expect(errors[0].message).toMatch(/failed for good/);
    expect(client.subscriptions).toBe(1);
  });

  it('reports a TLS mismatch the same way', async () => {
    const client = new ClientDouble();
    client.subscriptionError = () => new UnavailableError(undefined, 'No connection established: SSL routines: wrong version number');
    const errors: Error[] = [];
    const subscription = storeOn(client).subscribeToAll({ onEvents: async () => undefined, onError: (e) => errors.push(e) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await subscription.stop();
    expect(errors.map((e) => e.name)).toEqual(['EventStoreDbSubscriptionError']);
  });

  it('retries a transient error (the node unavailable) without reporting it', async () => {
    const client = new ClientDouble();
    client.subscriptionError = () => new UnavailableError();
    const errors: Error[] = [];
    const subscription = storeOn(client).subscribeToAll({ onEvents: async () => undefined, onError: (e) => errors.push(e) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await subscription.stop();
    expect(errors).toEqual([]);
    expect(client.subscriptions).toBeGreaterThan(1);
  });
});
