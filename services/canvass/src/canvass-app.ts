import type { INestApplication } from '@nestjs/common';
import { createServiceApp, definedOnly, type ServiceAppOptions } from '@city/service-kit';
import { CanvassModule, type CanvassModuleOptions } from './canvass.module';

export const CANVASS_SERVICE_NAME = 'canvass';
export const CANVASS_API_DOCS = {
  title: 'canvass',
  description: 'Five responsibilities, one network: units, assignments, canvass visits, gate duty, doorstep services',
} as const;

export interface CanvassAppOptions extends CanvassModuleOptions, Omit<ServiceAppOptions, 'serviceName' | 'module' | 'swagger'> {
  /** Serve OpenAPI at /docs (default true). */
  readonly swagger?: boolean;
}

/**
 * The canvass app on the kit, wired exactly as it runs, not yet listening:
 * tests call `initHttpApp()` and use supertest, the embedded city mounts it as it likes.
 */
export function createCanvassApp(options: CanvassAppOptions): Promise<INestApplication> {
  const { eventStore, readModelDb, clock, gateDutyLock, swagger, ...platform } = options;
  return createServiceApp({
    ...platform,
    serviceName: CANVASS_SERVICE_NAME,
    module: CanvassModule.register({ eventStore, readModelDb, ...definedOnly({ clock, gateDutyLock }) }),
    swagger: swagger === false ? false : CANVASS_API_DOCS,
  });
}
