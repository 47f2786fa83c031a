import { describeEventStoreContract } from '@city/eventsourcing/testing';
import { PgliteDatabase } from '@city/sql';
import { describeGroupCommitBehaviour } from './group-commit-behaviour';
import { PostgresEventStore } from './postgres-event-store';

// Embedded PGlite in memory: the store the `npm start` city runs on, no server needed.
describeEventStoreContract('PostgreSQL adapter on embedded PGlite', async () => {
  const db = new PgliteDatabase();
  const store = new PostgresEventStore(db, { pollIntervalMs: 100 });
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.close();
    },
  };
});

describeGroupCommitBehaviour('embedded PGlite', async (onAppended) => {
  const db = new PgliteDatabase();
  const store = new PostgresEventStore(db, { onAppended });
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.close();
    },
  };
});
