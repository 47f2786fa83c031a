import { describeEventStoreContract } from '@city/eventsourcing/testing';
import { createTestDatabase } from '@city/testing';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreContract('PostgreSQL adapter on a PostgreSQL server', async () => {
  const database = await createTestDatabase('event_store_contract');
  const store = new PostgresEventStore(database.db, { schema: 'contract_store' });
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
});
