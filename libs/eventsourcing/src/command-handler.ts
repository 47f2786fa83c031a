import { randomUUID } from 'node:crypto';
import type { Decider } from './decider';
import { foldEvents } from './decider';
import type { DomainEvent, EventMetadata, NewEvent, RecordedEvent } from './event';
import { ConcurrencyError } from './errors';
import type { AppendResult, EventStore } from './event-store';
import { NO_STREAM_VERSION } from './event-store';

export interface HandleOptions {
  readonly metadata: EventMetadata;
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

/**
 * Loads a stream, folds it into state, asks the decider, and appends the
 * resulting events expecting the version it read. On a version conflict it
 * reloads and decides again, up to `maxRetries` times, then lets the
 * `ConcurrencyError` reach the caller (HTTP 409).
 */
export class CommandHandler<Command, Event extends DomainEvent, State> {
  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly maxRetries = 3,
  ) {}

  async handle(streamId: string, command: Command, options: HandleOptions): Promise<HandleResult<Event, State>> {
    for (let attempt = 0; ; attempt++) {
      const recorded = (await this.store.readStream(streamId)) as RecordedEvent<Event>[];
      const version = recorded.length === 0 ? NO_STREAM_VERSION : recorded[recorded.length - 1].streamVersion;
      const state = foldEvents(this.decider, recorded.map(toDomainEvent));
      const events = this.decider.decide(command, state);
      if (events.length === 0) return { events, state, nextExpectedVersion: version };
      const toAppend: NewEvent<Event>[] = events.map((event, i) => ({
        eventId: options.eventId?.(i) ?? randomUUID(),
        type: event.type,
        schemaVersion: options.schemaVersions?.[event.type] ?? 1,
        data: event.data,
        metadata: options.metadata,
      }));
      let result: AppendResult;
      try {
        result = await this.store.appendToStream(streamId, toAppend, version === NO_STREAM_VERSION ? 'no_stream' : version);
      } catch (error) {
        if (error instanceof ConcurrencyError && attempt < this.maxRetries) continue;
        throw error;
      }
      return {
        events,
        state: foldEvents(this.decider, events, state),
        nextExpectedVersion: result.nextExpectedVersion,
        lastPosition: result.lastPosition,
      };
    }
  }
}

function toDomainEvent<Event extends DomainEvent>(recorded: RecordedEvent<Event>): Event {
  return { type: recorded.type, data: recorded.data } as Event;
}
