import type { AllStreamResolvedEvent, EventStoreDBClient, ResolvedEvent } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { BACKWARDS, END, EventStoreDBClient as Client, FORWARDS, NO_STREAM, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import type {
  AppendResult,
  CountEventsOptions,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@city/eventsourcing';
import { CityError, ConcurrencyError, ValidationError } from '@city/eventsourcing';
import { readAllFiltered } from './esdb-filtered-read';
import { commitPositionOf, toEventData, toExpectedRevision, toRecordedEvent, toStreamVersion } from './esdb-mapping';
import type { ResubscribeBackoff } from './esdb-subscription';
import { EsdbAllSubscription } from './esdb-subscription';
import { validateAppend } from '@city/eventsourcing';
import { checkEsdbAppend, typedAppendError } from './esdb-errors';

export interface EventStoreDbEventStoreOptions {
  /** `readAll` page size when the caller gives no limit; default 1000. */
  readonly defaultReadLimit?: number;
  /** Back-off between resubscriptions after a subscription error; default 100 ms doubling to 10 s. */
  readonly resubscribe?: ResubscribeBackoff;
  /** `close()` also disposes of the client; default false (true with `fromConnectionString`). */
  readonly ownsClient?: boolean;
  /** Deadline of `ping()` in ms; default 5000. */
  readonly pingDeadlineMs?: number;
}

/** EventStoreDB did not answer in time. */
export class EventStoreDbUnavailableError extends CityError {
  readonly code = 'unavailable';
}

/** The store was closed; it takes no more appends or subscriptions. */
export class EventStoreDbClosedError extends CityError {
  readonly code = 'unavailable';
  constructor() {
    super('The event store is closed');
  }
}

/**
 * The event-store port on EventStoreDB / KurrentDB through `@eventstore/db-client`.
 *
 * - Expected versions map to NO_STREAM / STREAM_EXISTS / ANY / a revision, and
 *   WrongExpectedVersionError becomes `ConcurrencyError`.
 * - The global position is the event's commit position in `$all`; the server
 *   makes positions visible in commit order itself.
 * - `$all` reads and subscriptions filter on the server, by stream-name
 *   prefix or else excluding system event types, and leave out system streams
 *   (`$…`), system event types and non-JSON events on the client too.
 * - `schemaVersion` travels in the metadata as `$schemaVersion`, next to
 *   `$correlationId` / `$causationId` (EventStoreDB's names); all three are
 *   stripped on read so metadata round-trips unchanged.
 * - Event ids: the server itself makes re-appending the same ids at the same
 *   expected version idempotent; unlike the PostgreSQL adapter it does not stop
 *   an id being reused in another stream.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EsdbAllSubscription>();
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {}

  /**
   * A store that owns its client, e.g. `esdb://localhost:2113?tls=false`.
   * Refuses `tlsVerifyCert=false`, which this client ignores (it verifies
   * anyway, so a node with a self-signed certificate would fail at the first
   * read): name the node's CA with `tlsCAFile=<path>` instead.
   */
  static fromConnectionString(connectionString: string, options: Omit<EventStoreDbEventStoreOptions, 'ownsClient'> = {}): EventStoreDbEventStore {
    if (/[?&]tlsVerifyCert=false(&|$)/i.test(connectionString))
      throw new ValidationError('tlsVerifyCert=false has no effect with @eventstore/db-client: give the node’s CA with tlsCAFile=<path> instead', {
        EVENTSTORE_CONNECTION_STRING: ['tlsVerifyCert=false is not supported; use tlsCAFile'],
      });
    return new EventStoreDbEventStore(Client.connectionString(connectionString), { ...options, ownsClient: true });
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    if (this.closed) throw new EventStoreDbClosedError();
    const validated = validateAppend(streamId, events, expectedVersion);
    checkEsdbAppend(streamId, validated);
    try {
      const result = await this.client.appendToStream(streamId, validated.map(toEventData), { expectedRevision: toExpectedRevision(expectedVersion) });
      // With `throwOnAppendFailure=false` in the connection string the client answers a conflict instead of throwing it.
      if (!result.success) throw new ConcurrencyError(streamId, String(expectedVersion), toStreamVersion(result.nextExpectedRevision));
      const nextExpectedVersion = Number(result.nextExpectedRevision);
      const lastPosition = result.position?.commit ?? (await this.positionOfStreamEvent(streamId, nextExpectedVersion));
      return { nextExpectedVersion, lastPosition };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new ConcurrencyError(streamId, String(expectedVersion), toStreamVersion(error.actualVersion));
      }
      throw typedAppendError(error, streamId);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (typeof streamId !== 'string' || streamId.trim() === '') throw new ValidationError('Invalid stream id', { streamId: ['must be a non-empty string'] });
    const fromVersion = options.fromVersion ?? 0;
    if (!Number.isInteger(fromVersion) || fromVersion < 0) throw new ValidationError('Invalid fromVersion', { fromVersion: ['must be an integer >= 0'] });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision: BigInt(fromVersion),
        direction: FORWARDS,
      }) as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /**
   * Filtered on the server (`readAllFiltered`): the stream-name prefix, or
   * without one every event but the system ones, so a catch-up read or a lag
   * count does not pull all of `$all` to the client.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0n;
    const limit = options.limit ?? this.options.defaultReadLimit ?? 1000;
    checkReadAll(after, limit, options.streamPrefix);
    const head = await this.headPosition();
    if (head <= after) return [];
    return readAllFiltered(this.client, { after, limit, head, ...(options.streamPrefix ? { streamPrefix: options.streamPrefix } : {}) });
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    if (this.closed) throw new EventStoreDbClosedError();
    if (typeof options?.onEvents !== 'function') throw new ValidationError('onEvents is required', { onEvents: ['must be a function'] });
    checkReadAll(options.after ?? 0n, options.batchSize ?? 1, options.streamPrefix);
    const subscription = new EsdbAllSubscription(
      this.client,
      options,
      this.headPosition(),
      this.options.resubscribe ?? { initialDelayMs: 100, maxDelayMs: 10_000 },
      (finished) => this.subscriptions.delete(finished),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * The position of the last event in `$all`. With `deadlineMs`, gives up
   * after it and cancels the read: the client's `readAll` sets an infinite
   * deadline of its own, whatever the caller asks.
   */
  async headPosition(deadlineMs?: number): Promise<bigint> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    const head = (async () => {
      for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
        return (resolved.event && commitPositionOf(resolved.event)) ?? resolved.commitPosition ?? 0n;
      }
      return 0n;
    })();
    if (deadlineMs === undefined) return head;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void Promise.resolve(read.cancel?.()).catch(() => undefined);
        reject(new EventStoreDbUnavailableError(`EventStoreDB did not answer within ${deadlineMs} ms`));
      }, deadlineMs);
    });
    head.catch(() => undefined);
    try {
      return await Promise.race([head, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * `esdb:<id>`: an id drawn once and kept in the custom metadata of stream
   * `city.store-identity` (a `$metadata` event, a system event no reader of the
   * city's streams sees), so another cluster, or this one rebuilt, is another store.
   */
  async identity(): Promise<string> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { metadata } = await this.client.getStreamMetadata<{ storeId?: string }>(STORE_IDENTITY_STREAM);
      if (typeof metadata?.storeId === 'string') return `esdb:${metadata.storeId}`;
      // A conflict (another process drew the id first) is read back on the next turn.
      await this.client.setStreamMetadata(STORE_IDENTITY_STREAM, { storeId: randomUUID() }, { expectedRevision: NO_STREAM }).catch((error: unknown) => {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      });
    }
    throw new Error(`EventStoreDB kept no store id in the metadata of ${STORE_IDENTITY_STREAM}`);
  }

  /** Resolves when the server answers within `pingDeadlineMs` (default 5 s); an abandoned ping is cancelled, so none pile up during an outage. */
  async ping(): Promise<void> {
    await this.headPosition(this.options.pingDeadlineMs ?? 5000);
  }

  /**
   * Events of the city's streams (with `streamPrefix`) after `after`, counted up
   * to `max`: the relay's lag in events, not in log bytes, and without system events.
   */
  async countEvents(options: CountEventsOptions): Promise<number> {
    let count = 0;
    let after = options.after;
    for (;;) {
      const page = await this.readAll({
        after,
        limit: Math.min(1000, options.max - count),
        ...(options.streamPrefix ? { streamPrefix: options.streamPrefix } : {}),
      });
      count += page.length;
      if (page.length === 0 || count >= options.max) return Math.min(count, options.max);
      after = page[page.length - 1].globalPosition;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.options.ownsClient) await this.client.dispose();
  }

  /** Fallback when the server's append result carries no position. */
  private async positionOfStreamEvent(streamId: string, version: number): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromVersion: version });
    return event?.globalPosition ?? 0n;
  }
}

/** Whose metadata keeps the store's id (`identity`). */
export const STORE_IDENTITY_STREAM = 'city.store-identity';

function checkReadAll(after: unknown, limit: unknown, streamPrefix: unknown): void {
  const fields: Record<string, string[]> = {};
  if (typeof after !== 'bigint' || after < 0n) fields.after = ['must be a bigint >= 0'];
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) fields.limit = ['must be an integer >= 1'];
  if (streamPrefix !== undefined && typeof streamPrefix !== 'string') fields.streamPrefix = ['must be a string'];
  if (Object.keys(fields).length > 0) throw new ValidationError('Invalid read options', fields);
}
