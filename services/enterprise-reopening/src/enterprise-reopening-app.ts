import type { INestApplication } from '@nestjs/common';
import { createServiceApp, definedOnly, type ServiceAppOptions } from '@city/service-kit';
import { ENTERPRISE_REOPENING_SERVICE } from './service-name';
import { EnterpriseReopeningModule, type EnterpriseReopeningModuleOptions } from './enterprise-reopening.module';

export const ENTERPRISE_REOPENING_SERVICE_NAME = ENTERPRISE_REOPENING_SERVICE;
export const ENTERPRISE_REOPENING_API_DOCS = { title: 'enterprise-reopening', description: 'The enterprise-reopening department' } as const;

export interface EnterpriseReopeningAppOptions extends EnterpriseReopeningModuleOptions, Omit<ServiceAppOptions, 'serviceName' | 'module' | 'swagger'> {}

/** The enterprise-reopening app on the kit, wired as it runs, not yet listening: tests call `initHttpApp()`, the embedded city mounts it. */
export function createEnterpriseReopeningApp(options: EnterpriseReopeningAppOptions): Promise<INestApplication> {
  const { eventStore, db, clock, scheduling, appealAnswerWithinMs, screensRoot, ...platform } = options;
  return createServiceApp({
    ...platform,
    serviceName: ENTERPRISE_REOPENING_SERVICE_NAME,
    module: EnterpriseReopeningModule.register({ eventStore, db, ...definedOnly({ clock, scheduling, appealAnswerWithinMs, screensRoot }) }),
    swagger: ENTERPRISE_REOPENING_API_DOCS,
  });
}
