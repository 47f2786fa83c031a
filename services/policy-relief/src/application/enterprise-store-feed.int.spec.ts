import { randomUUID } from 'node:crypto';
import { ENTERPRISE_REOPENING_EVENT_SAMPLES, enterpriseReopeningStreams, type EnterpriseReopeningEvent } from '@city/contracts';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgliteDatabase } from '@city/sql';
import { enterpriseStoreFeed } from './enterprise-store-feed';
import { EnterpriseView } from './enterprise-view';

/**
 * The embedded city's bus: the view of enterprises kept from enterprise-reopening's
 * events in the same event store (PGlite), up to date after a catch-up, and the
 * same after a restart without replaying what it has applied.
 */

const S = ENTERPRISE_REOPENING_EVENT_SAMPLES;
const FIRM = S.EnterpriseRegistered.data.creditCode;
const stream = enterpriseReopeningStreams.enterprise(FIRM);
const newEvent = (event: EnterpriseReopeningEvent) => ({
  eventId: randomUUID(),
  type: event.type,
  schemaVersion: 1,
  data: event.data,
  metadata: { correlationId: 'c', causationId: 'c' },
});

let db: PgliteDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  db = new PgliteDatabase();
  store = new PostgresEventStore(db);
  await store.migrate();
}, 120_000);

afterAll(async () => {
  await store?.close();
  await db?.close();
});

it('keeps each enterprise with the facts of its latest event, and survives a restart', async () => {
  const validated = withContractValidation(store);
  await validated.appendToStream(stream, [newEvent(S.EnterpriseRegistered)], 'no_stream');
  const view = new EnterpriseView(db);
  let feed = enterpriseStoreFeed(store, db);
  feed.start();
  await feed.catchUp();
  expect(await view.enterpriseOf(FIRM)).toEqual({
    enterpriseId: FIRM,
    districtCode: '310105',
    subdistrictCode: '310105002',
    size: 'small',
    industry: 'software-it-services',
    reopeningStatus: 'not-declared',
    headcount: S.EnterpriseRegistered.data.usualHeadcount,
  });
  await feed.stop();

  await validated.appendToStream(stream, [newEvent(S.EnterpriseReopened)], 0);
  feed = enterpriseStoreFeed(store, db);
  feed.start();
  await feed.catchUp();
  expect((await view.enterpriseOf(FIRM))?.reopeningStatus).toBe('reopened');
  expect(await view.enterpriseOf('91310107MA1G8K2X3C')).toBeNull();
  await feed.stop();
});
