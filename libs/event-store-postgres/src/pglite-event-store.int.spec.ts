import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

it('keeps its identity in its data folder: the same after a restart, another for another folder', async () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'city-pglite-a-')), mkdtempSync(join(tmpdir(), 'city-pglite-b-'))];
  const identityIn = async (dir: string): Promise<string> => {
    const db = new PgliteDatabase(dir);
    const store = new PostgresEventStore(db);
    try {
      await store.migrate();
      return await store.identity();
    } finally {
      await store.close();
      await db.close();
    }
  };
  try {
    const first = await identityIn(dirs[0]);
    expect(first).toMatch(/^postgres:[^/]+\/event_store\/[0-9a-f-]{36}$/);
    expect(await identityIn(dirs[0])).toBe(first);
    expect(await identityIn(dirs[1])).not.toBe(first);
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}, 180_000); // three PGlite starts on files, each compiling its WASM build on a loaded machine
