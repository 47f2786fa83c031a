import type { INestApplication } from '@nestjs/common';
import type { Actor } from '@city/auth';
import type { MeasureCatalog } from '@city/contracts';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import { initHttpApp } from '@city/service-kit';
import type { SqlDatabase } from '@city/sql';
import { EnterpriseView } from '../application/enterprise-view';
import type { EnterpriseProfile } from '../domain/enterprise-facts';
import { createPolicyReliefApp } from '../policy-relief-app';

/** The two sample enterprises of the specs: a small café in Changning and a micro shop in Putuo. */
export const CAFE = '91310105MA1FL0XQ2P';
export const SHOP = '91310107MA1G8K2X3J';
export const cafe: Actor = { sub: CAFE, role: 'enterprise' };
export const shop: Actor = { sub: SHOP, role: 'enterprise' };
export const sasac: Actor = { sub: 'sasac-officer-0007', role: 'department', department: 'policy-relief', office: 'state-assets' };

/** An enterprise as the view knows it from enterprise-reopening's events: by default, the café. */
export const profile = (enterpriseId: string, over: Partial<EnterpriseProfile> = {}): EnterpriseProfile => ({
  enterpriseId,
  districtCode: '310105',
  subdistrictCode: '310105002',
  size: 'small',
  industry: 'catering',
  reopeningStatus: 'reopened',
  headcount: 18,
  ...over,
});

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
