import { TRAVELLER_HEALTH_STREAM_PREFIX, TRAVELLER_HEALTH_TOPIC } from '@city/contracts';
import { startDepartmentService, type DepartmentDefinition, type DepartmentStack, type DepartmentStackOptions } from '@city/service-kit';
import { TRAVELLER_HEALTH_API_DOCS, TRAVELLER_HEALTH_SERVICE_NAME } from './traveller-health-app';
import { TravellerHealthModule } from './traveller-health.module';

/** Traveller health as the kit runs it in stack mode: its streams, its topic, and its module. */
export const TRAVELLER_HEALTH_DEPARTMENT: DepartmentDefinition = {
  name: TRAVELLER_HEALTH_SERVICE_NAME,
  streamPrefix: TRAVELLER_HEALTH_STREAM_PREFIX,
  topic: TRAVELLER_HEALTH_TOPIC,
  swagger: TRAVELLER_HEALTH_API_DOCS,
  module: ({ store }) => TravellerHealthModule.register({ eventStore: store }),
};

/** The traveller-health service in stack mode (see `startDepartmentService`). */
export function startTravellerHealthStack(options: DepartmentStackOptions): Promise<DepartmentStack> {
  return startDepartmentService(TRAVELLER_HEALTH_DEPARTMENT, options);
}
