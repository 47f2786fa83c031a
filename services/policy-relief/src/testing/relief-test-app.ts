import type { INestApplication } from '@nestjs/common';
import type { MeasureCatalog } from '@city/contracts';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { initHttpApp } from '@city/service-kit';
import type { SqlDatabase } from '@city/sql';
import { EnterpriseView } from '../application/enterprise-view';
import { createPolicyReliefApp } from '../policy-relief-app';
import { CAFE, profile, SHOP } from './sample-enterprises';

export * from './sample-enterprises';

export interface ReliefTestApp {
  readonly app: INestApplication;
  readonly store: PostgresEventStore;
}

/**
 * The service on `db` (its event store and read models), initialised, on 2 April 2020 in the
 * city (M13, the street-shop restart grant, closed on 31 March), with the café and the shop in
 * its view of enterprises, fed as enterprise-reopening's events would.
 */
export async function startReliefTestApp(db: SqlDatabase, options: { readonly secret: string; readonly catalog?: MeasureCatalog }): Promise<ReliefTestApp> {
  const store = new PostgresEventStore(db);
  await store.migrate();
  const app = await createPolicyReliefApp({
    eventStore: withContractValidation(store),
    readModelDb: db,
    ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
    jwtSecret: options.secret,
    logLevel: 'silent',
    clock: () => new Date('2020-04-02T02:00:00Z'),
  });
  await initHttpApp(app);
  const view = app.get(EnterpriseView);
  await view.record(profile(CAFE));
  await view.record(profile(SHOP, { districtCode: '310107', subdistrictCode: '310107017', industry: 'wholesale-retail', size: 'micro', headcount: 4 }));
  return { app, store };
}
