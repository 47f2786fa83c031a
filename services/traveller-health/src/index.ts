/** The traveller-health service as other deployables compose it (the embedded city in-process; stack mode runs `main.ts`). */
export { TravellerHealthModule } from './traveller-health.module';
export type { TravellerHealthModuleOptions } from './traveller-health.module';
export { createTravellerHealthApp, TRAVELLER_HEALTH_SERVICE_NAME } from './traveller-health-app';
export type { TravellerHealthAppOptions } from './traveller-health-app';
export { TRAVELLER_HEALTH_DEPARTMENT, startTravellerHealthStack } from './traveller-health-stack';
