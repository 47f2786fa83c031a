import { randomUUID } from 'node:crypto';
import type { Decider } from './decider';
import { foldEvents } from './decider';
import type { DomainEvent, EventMetadata, NewEvent, RecordedEvent } from './event';
import { ConcurrencyError } from './errors';
import type { AppendResult, EventStore } from './event-store';
import { NO_STREAM_VERSION } from './event-store';
import type { StreamStateCache } from './stream-state-cache';

export interface HandleOptions<Event extends DomainEvent = DomainEvent> {
  /**
   * Metadata of the events, built after `decide` from what the command and each
   * event say (e.g. the district an event belongs to), or the same for all.
   */
  readonly metadata: EventMetadata | ((event: Event) => EventMetadata);
  /**
   * The stream version the caller last saw (as Emmett's `expectedStreamVersion`):
   * when the stream is elsewhere, the command is not decided and a
   * `ConcurrencyError` reaches the caller (HTTP 409). Left out: no such check,
   * and conflicts with other writers are retried.
   */
  readonly expectedVersion?: number;
  /** Contract version per event type; types not listed are version 1. */
  readonly schemaVersions?: Readonly<Record<string, number>>;
  /** Produces event ids; defaults to random UUIDs. Pass a deterministic one for idempotent retries. */
  readonly eventId?: (index: number) => string;
}

export interface HandleResult<Event, State> {
  readonly events: Event[];
  readonly state: State;
  /** Version of the stream after the command (unchanged when no event was produced). */
  readonly nextExpectedVersion: number;
  readonly lastPosition?: bigint;
}

export interface CommandHandlerOptions<State> {
  /** Conflicts retried before the `ConcurrencyError` reaches the caller (default 3). */
  readonly maxRetries?: number;
  /**
   * Keeps the state this handler last saw per stream, so the next command on
   * it skips reading the stream. Worth it where commands on one stream are
   * serialised in this process (see SerialCommandHandler); writers
   * elsewhere only cost a conflict and a re-read.
   */
  readonly cache?: StreamStateCache<State>;
}

/**
 * Loads a stream (or takes its cached state), folds it into state, checks the
 * caller's expected version, asks the decider, and appends the resulting
 * events expecting the version it read.
 * On a version conflict it reloads and decides again, up to `maxRetries`
 * times, then lets the `ConcurrencyError` reach the caller (HTTP 409).
 */
export class CommandHandler<Command, Event extends DomainEvent, State> {
  private readonly maxRetries: number;
  private readonly cache?: StreamStateCache<State>;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    options: CommandHandlerOptions<State> = {},
  ) {
    this.maxRetries = options.maxRetries ?? 3;
    this.cache = options.cache;
  }

  async handle(streamId: string, command: Command, options: HandleOptions<Event>): Promise<HandleResult<Event, State>> {
    const { metadata } = options;
    const metadataOf = typeof metadata === 'function' ? metadata : () => metadata;
    for (let attempt = 0; ; attempt++) {
      // Only the first attempt trusts the cache: a conflict means someone else wrote the stream.
      const cached = attempt === 0 ? this.cache?.get(streamId) : undefined;
      const { version, state } = cached ?? (await this.load(streamId));
      if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
        // A cached copy may lag behind a write of another replica: only the stream itself refuses.
        if (cached) continue;
        throw new ConcurrencyError(streamId, String(options.expectedVersion), version);
      }
      let events: Event[];
      try {
        events = this.decider.decide(command, state);
      } catch (error) {
        // A refusal must not rest on a stale copy (another replica may have registered the unit): read and decide again.
        if (cached) continue;
        throw error;
      }
      if (events.length === 0) {
        // Likewise "nothing to do" (an idempotent retry) is answered from the stream itself.
        if (cached) continue;
        return { events, state, nextExpectedVersion: version };
      }
      const toAppend: NewEvent<Event>[] = events.map((event, i) => ({
        eventId: options.eventId?.(i) ?? randomUUID(),
        type: event.type,
        schemaVersion: options.schemaVersions?.[event.type] ?? 1,
        data: event.data,
        metadata: metadataOf(event),
      }));
      let result: AppendResult;
      try {
        result = await this.store.appendToStream(streamId, toAppend, version === NO_STREAM_VERSION ? 'no_stream' : version);
      } catch (error) {
        this.cache?.delete(streamId);
        if (error instanceof ConcurrencyError && attempt < this.maxRetries) continue;
        throw error;
      }
      const next = foldEvents(this.decider, events, state);
      // An idempotent replay answers with the version the events got the first time; only a
      // plain append is known to leave the stream exactly at the state folded here.
      if (result.nextExpectedVersion === version + events.length) this.cache?.set(streamId, { version: result.nextExpectedVersion, state: next });
      else this.cache?.delete(streamId);
      return {
        events,
        state: next,
        nextExpectedVersion: result.nextExpectedVersion,
        lastPosition: result.lastPosition,
      };
    }
  }

  /**
   * The state of a stream as this handler knows it: its cached copy, or read
   * (and then cached, so the next command on it does not read it again). For
   * what a command needs before it is handled and that a later write cannot
   * change (e.g. whom a gate shift belongs to); decisions use `handle`.
   */
  async state(streamId: string): Promise<State> {
    const cached = this.cache?.get(streamId);
    // A stream that did not exist may have been created since, elsewhere: only an existing one is taken from the cache.
    if (cached && cached.version !== NO_STREAM_VERSION) return cached.state;
    return (await this.load(streamId)).state;
  }

  private async load(streamId: string): Promise<{ version: number; state: State }> {
    const recorded = (await this.store.readStream(streamId)) as RecordedEvent<Event>[];
    const version = recorded.length === 0 ? NO_STREAM_VERSION : recorded[recorded.length - 1].streamVersion;
    const state = foldEvents(this.decider, recorded.map(toDomainEvent));
    this.cache?.set(streamId, { version, state });
    return { version, state };
  }
}

function toDomainEvent<Event extends DomainEvent>(recorded: RecordedEvent<Event>): Event {
  return { type: recorded.type, data: recorded.data } as Event;
}
