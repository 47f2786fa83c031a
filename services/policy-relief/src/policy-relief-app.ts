import type { INestApplication } from '@nestjs/common';
import { createServiceApp, definedOnly, type ServiceAppOptions } from '@city/service-kit';
import { PolicyReliefModule, type PolicyReliefModuleOptions } from './policy-relief.module';

export const POLICY_RELIEF_SERVICE_NAME = 'policy-relief';
export const POLICY_RELIEF_API_DOCS = {
  title: 'policy-relief',
  description:
    'Relief measures that reach enterprises: the measure catalog, applications with explainable eligibility, contactless approval, disbursement, budgets that are never over-committed',
} as const;

export interface PolicyReliefAppOptions extends PolicyReliefModuleOptions, Omit<ServiceAppOptions, 'serviceName' | 'module' | 'swagger'> {}

/** The policy-relief app on the kit, wired as it runs, not yet listening: tests call `initHttpApp()`, the embedded city mounts it. */
export function createPolicyReliefApp(options: PolicyReliefAppOptions): Promise<INestApplication> {
  const { eventStore, readModelDb, catalog, clock, enterprisesFromStore, ...platform } = options;
  return createServiceApp({
    ...platform,
    serviceName: POLICY_RELIEF_SERVICE_NAME,
    module: PolicyReliefModule.register({ eventStore, readModelDb, ...definedOnly({ catalog, clock, enterprisesFromStore }) }),
    swagger: POLICY_RELIEF_API_DOCS,
  });
}
