import { cityDayOf } from '@city/city-time';
import { PostgresEventStore } from '@city/event-store-postgres';
import type { RecordedEvent } from '@city/eventsourcing';
import { createKafka, EventRelay, PostgresCheckpointStore } from '@city/kafka';
import { PgDatabase } from '@city/sql';
import { createTestDatabase, eventually, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import type { CanvassFigures } from './contexts/canvass/canvass-figures';
import { canvassReadModel } from './contexts/canvass/canvass-read-model';
import { eventStoreProjectionFeed, kafkaProjectionFeed } from './projection-feeds';
import { pastAsOf } from './read-model/as-of';
import { OperationsReadModel, type DistrictOverview } from './read-model/operations-read-model';
import { rebuildContext } from './rebuild';
import { toNew, visitRecorded } from './testing/canvass-events';
import { demoCity } from './testing/demo-city';
import { SseClient } from '@city/testing';
import { contextProjections } from './testing/context-projections';
import { startOpsTestApp } from './testing/test-app';

// Jest takes testTimeout only from the root config, not per project: set it here.
jest.setTimeout(120_000);

const CHANGNING = '310105';

async function appendAll(store: PostgresEventStore, events: readonly RecordedEvent[]): Promise<void> {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
  const streams = [...byStream.entries()];
  for (let i = 0; i < streams.length; i += 50) {
    await Promise.all(streams.slice(i, i + 50).map(([id, es]) => store.appendToStream(id, es.map(toNew), 'any')));
  }
}

/** Everything the API can answer, minus the moment it was asked. */
async function snapshotFigures(readModel: OperationsReadModel, now: Date) {
  const yesterdayEvening = new Date(`${cityDayOf(new Date(now.getTime() - 86_400_000))}T20:00:00+08:00`);
  const live = await readModel.cityOverview(pastAsOf(now));
  const past = await readModel.cityOverview(pastAsOf(yesterdayEvening));
  const subdistricts = await readModel.subdistricts(CHANGNING, pastAsOf(now));
  const series = await readModel.series(now, 14);
  return {
    live: { city: live.city, districts: live.districts.map((d) => d.figures) },
    past: { city: past.city, districts: past.districts.map((d) => d.figures) },
    subdistricts: subdistricts.subdistricts,
    series: series.days,
  };
}

describe('operations center on real PostgreSQL', () => {
  let storeDb: TestDatabase;
  let readDb: TestDatabase;
  let store: PostgresEventStore;
  const now = new Date();
  const city = demoCity(now, { unitsPerSubdistrict: 3, days: 7, seed: 7 });

  // Two test databases and the demo city's events appended: seconds when idle, minutes on a loaded machine.
  beforeEach(async () => {
    storeDb = await createTestDatabase('ops_store');
    readDb = await createTestDatabase('ops_read');
    store = new PostgresEventStore(storeDb.db, { pollIntervalMs: 100 });
    await store.migrate();
    await appendAll(store, city.events);
  }, 180_000);
  afterEach(async () => {
    await store.close();
    await storeDb.drop();
    await readDb.drop();
  });

  it('rebuilds from the event store to exactly the figures the live projection built, and re-applying changes nothing', async () => {
    const app = await startOpsTestApp(readDb.db, { feed: eventStoreProjectionFeed(store) });
    const head = await store.headPosition();
    await eventually(async () => {
      const { rows } = await readDb.db.query<{ position: string }>(`SELECT position::text FROM projection_positions WHERE projection = 'ops-canvass'`);
      return rows.length > 0 && BigInt(rows[0].position) >= head ? true : undefined;
    }, 90_000);
    await app.close();

    const readModel = new OperationsReadModel(readDb.db, [canvassReadModel()]);
    const live = await snapshotFigures(readModel, now);
    expect((live.live.city.canvass as CanvassFigures).units.active).toBe(city.units.length);
    expect((live.live.city.canvass as CanvassFigures).visits.total).toBe(city.events.filter((e) => e.type === 'CanvassVisitRecorded').length);

    const results = await rebuildContext(store, readDb.db, canvassReadModel());
    const registrations = city.events.filter((e) => e.type === 'SubdistrictRegistered').length;
    expect(results).toEqual([
      { projection: 'ops-canvass', position: head, eventsApplied: city.events.length - registrations },
      { projection: 'ops-reference-data', position: head, eventsApplied: registrations },
    ]);
    expect(await snapshotFigures(readModel, now)).toEqual(live);

    await contextProjections(canvassReadModel()).apply(readDb.db, city.events.slice(0, 500));
    expect(await snapshotFigures(readModel, now)).toEqual(live);
  }, 240_000); // the app starting, the live projection catching up with the demo city (90 s), and the rebuild

  it('runs in stack mode: relay → Kafka → projection runner, and a query-only replica pushes the change over SSE', async () => {
    const topic = uniqueName('canvass.events.v1');
    const kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('ops-test') });
    const checkpoints = new PostgresCheckpointStore(storeDb.db);
    await checkpoints.migrate();
    const relay = new EventRelay({ name: 'canvass', store, checkpoints, kafka, source: '/city/canvass', streamPrefix: 'canvass.', topicFor: () => topic });
    const context = { ...canvassReadModel(), topic };
    const consumerApp = await startOpsTestApp(readDb.db, { contexts: [context], feed: kafkaProjectionFeed({ kafka, groupId: uniqueName('ops') }) });
    const replicaDb = new PgDatabase(readDb.url);
    const replica = await startOpsTestApp(replicaDb, { contexts: [context], liveCoalesceMs: 20 });
    const sse = new SseClient(`${replica.url}/api/stream?access_token=${replica.tokens.changningStaff}`);
    try {
      await relay.start();
      const readModel = new OperationsReadModel(replicaDb, [context]);
      await eventually(async () => {
        const o = await readModel.cityOverview(pastAsOf(now));
        return (o.city.canvass as CanvassFigures).units.active === city.units.length ? true : undefined;
      }, 60_000);
      await sse.next('snapshot');

      const unit = city.units.find((u) => u.districtCode === CHANGNING);
      if (!unit) throw new Error('demo city has no Changning unit');
      const before = await readModel.districtOverview(CHANGNING, pastAsOf(new Date()));
      await store.appendToStream(`canvass.unit-${unit.unitId}`, [toNew(visitRecorded(unit, new Date().toISOString(), { returnedFromOutside: 9 }))], 'any');

      const pushed = (await sse.next(
        'district-overview',
        (d) =>
          (d as DistrictOverview).figures.canvass !== undefined &&
          ((d as DistrictOverview).figures.canvass as CanvassFigures).returnedFromOutside.total ===
            (before.figures.canvass as CanvassFigures).returnedFromOutside.total + 9,
        60_000,
      )) as DistrictOverview;
      expect(pushed.district.code).toBe(CHANGNING);

      const metrics = await fetch(`${consumerApp.url}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/city_projection_events_total\{[^}]*projection="ops-canvass"[^}]*type="CanvassVisitRecorded"[^}]*\} \d+/);
      expect(metrics).toMatch(/city_projection_checkpoint_position\{[^}]*projection="ops-canvass"[^}]*\} \d+/);
      expect(metrics).toMatch(/city_projection_lag_seconds\{[^}]*projection="ops-canvass"/);
    } finally {
      sse.close();
      await relay.stop();
      await consumerApp.close();
      await replica.close();
      await replicaDb.close();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
      await admin.disconnect();
    }
  }, 300_000); // two apps starting, the relay and the projection runner catching up (60 s), the SSE snapshot and push (60 s)
});
