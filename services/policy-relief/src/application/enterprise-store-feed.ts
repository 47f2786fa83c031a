import { ENTERPRISE_REOPENING_STREAM_PREFIX, ENTERPRISE_STREAM_EVENT_TYPES, type EnterpriseFacts as ReopeningFacts } from '@city/contracts';
import type { EventStore, RecordedEvent } from '@city/eventsourcing';
import { StoreReadModel, type Projection } from '@city/projections';
import type { SqlDatabase, SqlExecutor } from '@city/sql';
import { EnterpriseView, profileFromReopeningFacts } from './enterprise-view';

/**
 * The view of enterprises fed from the event store instead of Kafka, for the
 * embedded city, where every department appends to one store and the store's
 * own subscription stands in for the bus. Same table and same rule as the
 * Kafka consumer (api/enterprise-events.consumer.ts): each event of an
 * enterprise's stream carries its facts; its checkpoint lives with the table.
 */
class EnterpriseFactsProjection implements Projection {
  readonly name = 'policy-relief-enterprises';
  readonly handles: readonly string[] = ENTERPRISE_STREAM_EVENT_TYPES;

  async migrate(db: SqlExecutor): Promise<void> {
    await EnterpriseView.migrateTable(db);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE policy_relief_enterprises');
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) await EnterpriseView.upsert(tx, profileFromReopeningFacts(event.data as ReopeningFacts), event.streamVersion);
  }
}

export function enterpriseStoreFeed(store: EventStore, db: SqlDatabase, onError?: (error: Error) => void): StoreReadModel {
  return new StoreReadModel({
    store,
    db,
    projection: new EnterpriseFactsProjection(),
    streamPrefix: ENTERPRISE_REOPENING_STREAM_PREFIX,
    ...(onError ? { onError } : {}),
  });
}
