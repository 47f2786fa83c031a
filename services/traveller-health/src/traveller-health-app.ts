import type { INestApplication } from '@nestjs/common';
import { createServiceApp, definedOnly, type ServiceAppOptions } from '@city/service-kit';
import { TravellerHealthModule, type TravellerHealthModuleOptions } from './traveller-health.module';

export const TRAVELLER_HEALTH_SERVICE_NAME = 'traveller-health';
export const TRAVELLER_HEALTH_API_DOCS = {
  title: 'traveller-health',
  description:
    'Arrivals health observation: registration at checkpoints, explainable risk rules, community push, 14-day home observation. ' +
    'Personal data stays encrypted in this service; what leaves it is pseudonymous.',
} as const;

export interface TravellerHealthAppOptions extends TravellerHealthModuleOptions, Omit<ServiceAppOptions, 'serviceName' | 'module' | 'swagger'> {}

/** The traveller-health app on the kit, wired as it runs, not yet listening: tests call `initHttpApp()`, the embedded city mounts it. */
export function createTravellerHealthApp(options: TravellerHealthAppOptions): Promise<INestApplication> {
  const { eventStore, db, privacy, retentionDays, ruleSetVersion, clock, schedulerClock, schedulerPollMs, runScheduler, ...platform } = options;
  return createServiceApp({
    ...platform,
    serviceName: TRAVELLER_HEALTH_SERVICE_NAME,
    module: TravellerHealthModule.register({
      eventStore,
      db,
      privacy,
      ...definedOnly({ retentionDays, ruleSetVersion, clock, schedulerClock, schedulerPollMs, runScheduler }),
    }),
    swagger: TRAVELLER_HEALTH_API_DOCS,
  });
}
