import { describeEventStoreContract } from '@city/eventsourcing/testing';
import { EventStoreDbEventStore } from './esdb-event-store';

/**
 * The shared contract against a real EventStoreDB / KurrentDB server, e.g.
 *   EVENTSTORE_CONNECTION_STRING='esdb://127.0.0.1:2113?tls=false' npx jest libs/event-store-esdb
 * This machine has no server and no Docker engine for testcontainers, so without
 * the variable the run is skipped — visibly, never silently passed.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
const SKIP_REASON = 'skipped: EVENTSTORE_CONNECTION_STRING is not set and no Docker engine is available for testcontainers';

if (connectionString) {
  describeEventStoreContract('EventStoreDB adapter', async () => {
    const store = EventStoreDbEventStore.fromConnectionString(connectionString);
    await store.ping();
    return { store, cleanup: () => store.close() };
  });
} else {
  console.warn(`EventStore contract for EventStoreDB ${SKIP_REASON}`);
  describe('EventStore contract: EventStoreDB adapter', () => {
    it.skip(`EventStoreDB contract ${SKIP_REASON}`, () => undefined);
  });
}
