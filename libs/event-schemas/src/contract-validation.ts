import type { EventStore, NewEvent } from '@city/eventsourcing';
import { assertValidEventData } from './event-schemas';

/**
 * Checks the data of one event against its contract: throws `ValidationError`
 * when it breaks the schema, `UnknownEventTypeError` when there is none.
 */
export type EventDataValidator = (type: string, schemaVersion: number, data: unknown) => void;

/**
 * The producer's half of the contract (contracts/README.md): every event is
 * checked against its JSON Schema before it reaches the store, so a service
 * cannot publish what its own contract refuses. A refused append throws the
 * `ValidationError` (or `UnknownEventTypeError`) that the HTTP layer answers
 * with 400 and its reason, and nothing of the append is stored: the whole
 * call is checked before the inner store sees any of it.
 *
 * Reads pass through: what is stored was checked when it was written.
 */
export function withContractValidation(store: EventStore, validate: EventDataValidator = assertValidEventData): EventStore {
  const countEvents = store.countEvents?.bind(store);
  return {
    ...(countEvents ? { countEvents } : {}),
    appendToStream: async (streamId, events, expectedVersion) => {
      // Malformed events (no type, no version) are the store's own check (validateAppend) to report.
      for (const event of Array.isArray(events) ? (events as readonly Partial<NewEvent>[]) : []) {
        if (typeof event?.type === 'string' && typeof event.schemaVersion === 'number') validate(event.type, event.schemaVersion, event.data);
      }
      return store.appendToStream(streamId, events, expectedVersion);
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    identity: () => store.identity(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
