import { CityError } from '@city/eventsourcing';

/**
 * Some event ids of an append are already recorded, but not as exactly this
 * append to this stream (another stream, another order, or only some of them).
 * Only the caller whose append carries the ids gets it; the rest of its
 * group-commit batch commits. Over HTTP it means 409 Conflict.
 *
 * Re-appending exactly the same event ids, in the same order, to the same
 * stream is not an error: it is an idempotent retry and returns the original
 * result (see `PostgresEventStore.appendToStream`).
 */
export class DuplicateEventError extends CityError {
  readonly code = 'duplicate_event';
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`Event id(s) ${eventIds.join(', ')} already recorded; append to stream ${streamId} refused`);
  }
}

/** The store was closed; it takes no more appends. */
export class EventStoreClosedError extends CityError {
  readonly code = 'unavailable';
  constructor() {
    super('The event store is closed');
  }
}
