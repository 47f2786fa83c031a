import { TRAVELLER_HEALTH_STREAM_PREFIX, TRAVELLER_HEALTH_TOPIC } from '@city/contracts';
import { startDepartmentService, type DepartmentDefinition, type DepartmentStack, type DepartmentStackOptions } from '@city/service-kit';
import type { PrivacyKeys } from './application/privacy-keys';
import { TRAVELLER_HEALTH_API_DOCS, TRAVELLER_HEALTH_SERVICE_NAME } from './traveller-health-app';
import { TravellerHealthModule } from './traveller-health.module';

export interface TravellerHealthSettings {
  readonly privacy: PrivacyKeys;
  readonly retentionDays?: number;
  readonly ruleSetVersion?: string;
}

/** Traveller health as the kit runs it in stack mode: its streams, its topic, and its module with its keys. */
export function travellerHealthDepartment(settings: TravellerHealthSettings): DepartmentDefinition {
  return {
    name: TRAVELLER_HEALTH_SERVICE_NAME,
    streamPrefix: TRAVELLER_HEALTH_STREAM_PREFIX,
    topic: TRAVELLER_HEALTH_TOPIC,
    swagger: TRAVELLER_HEALTH_API_DOCS,
    // The vault, the work list, the audit trail and the scheduled commands live in the department's database, shared by the replicas.
    module: ({ store, db }) => TravellerHealthModule.register({ eventStore: store, db, ...settings }),
  };
}

/** The traveller-health service in stack mode (see `startDepartmentService`). */
export function startTravellerHealthStack(options: DepartmentStackOptions & TravellerHealthSettings): Promise<DepartmentStack> {
  const { privacy, retentionDays, ruleSetVersion, ...stack } = options;
  return startDepartmentService(
    travellerHealthDepartment({ privacy, ...(retentionDays !== undefined ? { retentionDays } : {}), ...(ruleSetVersion ? { ruleSetVersion } : {}) }),
    stack,
  );
}
