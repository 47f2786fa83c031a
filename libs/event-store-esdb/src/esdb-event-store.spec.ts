import { randomUUID } from 'node:crypto';
import { AccessDeniedError, BACKWARDS, type EventStoreDBClient, MaxAppendSizeExceededError, StreamDeletedError, UnavailableError } from '@eventstore/db-client';
import { ConcurrencyError, type NewEvent, RuleViolationError, ValidationError } from '@city/eventsourcing';
import { AppendTooLargeError, StreamTombstonedError } from './esdb-errors';
import { EventStoreDbEventStore, EventStoreDbUnavailableError } from './esdb-event-store';
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
}

/** What the adapter uses of the client, answering as the client does. */
class ClientDouble {
  appends: { streamId: string }[] = [];
  appendAnswer: () => Promise<unknown> = async () => ({ success: true, nextExpectedRevision: 0n, position: { commit: 100n, prepare: 100n } });
  log: StoredEvent[] = [];
  /** `readAll` never answers (a node that is down behind a live TCP connection). */
  hang = false;
  cancelled = 0;
  subscriptions = 0;
  subscriptionError: () => Error = () => new UnavailableError();

  async appendToStream(streamId: string): Promise<unknown> {
    this.appends.push({ streamId });
    return this.appendAnswer();
  }

  readAll(options: { fromPosition?: unknown; direction?: unknown; maxCount?: number | bigint }) {
    const forwards = options.direction !== BACKWARDS;
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
        for (const e of page) {
          yield {
            event: {
              streamId: e.streamId,
              id: randomUUID(),
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
      },
    };
  }

  subscribeToAll() {
    this.subscriptions++;
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

  async dispose(): Promise<void> {
    return undefined;
  }
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
    const errors: Error[] = [];
    const subscription = storeOn(client).subscribeToAll({ onEvents: async () => undefined, onError: (e) => errors.push(e) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await subscription.stop();
    expect(errors).toEqual([]);
    expect(client.subscriptions).toBeGreaterThan(1);
  });
});
