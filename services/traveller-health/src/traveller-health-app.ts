import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp, definedOnly, type ServiceAppOptions } from '@city/service-kit';
import { TravellerHealthModule, type TravellerHealthModuleOptions } from './traveller-health.module';

export const TRAVELLER_HEALTH_SERVICE_NAME = 'traveller-health';
export const TRAVELLER_HEALTH_API_DOCS = { title: 'traveller-health', description: 'The traveller-health department' } as const;

export interface TravellerHealthAppOptions extends TravellerHealthModuleOptions, Omit<ServiceAppOptions, 'serviceName' | 'module' | 'swagger'> {}

/** The traveller-health app on the kit, wired as it runs, not yet listening: tests call `init()`, the embedded city mounts it. */
export function createTravellerHealthApp(options: TravellerHealthAppOptions): Promise<NestExpressApplication> {
  const { eventStore, clock, ...platform } = options;
  return createServiceApp({
    ...platform,
    serviceName: TRAVELLER_HEALTH_SERVICE_NAME,
    module: TravellerHealthModule.register({ eventStore, ...definedOnly({ clock }) }),
    swagger: TRAVELLER_HEALTH_API_DOCS,
  });
}
