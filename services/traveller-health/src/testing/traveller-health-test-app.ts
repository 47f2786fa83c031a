import type { INestApplication } from '@nestjs/common';
import { issueToken, type Actor } from '@city/auth';
import { withContractValidation } from '@city/event-schemas';
import { PostgresEventStore } from '@city/event-store-postgres';
import type { ManualClock } from '@city/scheduler';
import { initHttpApp, requestContext } from '@city/service-kit';
import type { SqlDatabase } from '@city/sql';
import { ephemeralPrivacyKeys, type PrivacyKeys } from '../application/privacy-keys';
import { RegistrationCommands } from '../application/registration-commands';
import { createTravellerHealthApp } from '../traveller-health-app';

/** The checkpoint every spec registers first: the registrations of `registration()` arrive there. */
export const HONGQIAO_RAILWAY = {
  checkpointId: 'hongqiao-railway',
  name: 'Hongqiao Railway Station 虹桥火车站',
  kind: 'railway',
  districtCode: '310112',
} as const;

/** 10:00 in the city on 12 February 2020, the specs' usual "now". */
export const SPEC_NOW = new Date('2020-02-12T02:00:00Z');

export interface TravellerHealthTestOptions {
  /** The HS256 secret the spec's tokens are signed with. */
  readonly secret: string;
  /** Who registers the checkpoint (a traveller-health department actor). */
  readonly city: Actor;
  /** The commands' clock (default: SPEC_NOW); the scheduler's when given, else the scheduler does not run. */
  readonly clock?: () => Date;
  readonly schedulerClock?: ManualClock;
  readonly privacy?: PrivacyKeys;
  readonly retentionDays?: number;
  /** Listen on a free port of 127.0.0.1 (a browser needs a URL) instead of only initialising. */
  readonly listen?: boolean;
}

export interface TravellerHealthTestApp {
  readonly app: INestApplication;
  readonly store: PostgresEventStore;
  /** The base URL when `listen` was asked for, else empty. */
  readonly url: string;
  /** Events in the store: "nothing appended" is this number unchanged. */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/** The Authorization header of `actor`'s token. */
export const bearer = (actor: Actor, secret: string) => ({ Authorization: `Bearer ${issueToken(actor, secret)}` });

/**
 * The service on `db` (its event store with contract checks, vault and read models), wired as it
 * runs, with its scheduler held (specs move time themselves) and the Hongqiao railway checkpoint
 * registered by `city`.
 */
export async function startTravellerHealthTestApp(db: SqlDatabase, options: TravellerHealthTestOptions): Promise<TravellerHealthTestApp> {
  const store = new PostgresEventStore(db);
  await store.migrate();
  const app = await createTravellerHealthApp({
    eventStore: withContractValidation(store),
    db,
    privacy: options.privacy ?? ephemeralPrivacyKeys(),
    jwtSecret: options.secret,
    logLevel: 'silent',
    clock: options.clock ?? (() => SPEC_NOW),
    ...(options.schedulerClock === undefined ? {} : { schedulerClock: options.schedulerClock }),
    ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
    runScheduler: false,
  });
  let url = '';
  if (options.listen === true) {
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  } else {
    await initHttpApp(app);
  }
  await app.get(RegistrationCommands).registerCheckpoint(requestContext(options.city), { ...HONGQIAO_RAILWAY });
  return {
    app,
    store,
    url,
    eventCount: async () => Number(await store.headPosition()),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
