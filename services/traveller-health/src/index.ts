/** The traveller-health service as other deployables compose it (the embedded city in-process; stack mode runs `main.ts`). */
export { TravellerHealthModule } from './traveller-health.module';
export type { TravellerHealthModuleOptions } from './traveller-health.module';
export { createTravellerHealthApp, TRAVELLER_HEALTH_SERVICE_NAME } from './traveller-health-app';
export type { TravellerHealthAppOptions } from './traveller-health-app';
export { travellerHealthDepartment, startTravellerHealthStack } from './traveller-health-stack';
export type { TravellerHealthSettings } from './traveller-health-stack';
export { ephemeralPrivacyKeys, parseMasterKeys, travellerIdOf } from './application/privacy-keys';
export type { PrivacyKeys } from './application/privacy-keys';
export { PersonalDataVault } from './application/personal-data-vault';
export { RegistrationCommands } from './application/registration-commands';
export type { RegistrationInput } from './application/registration-commands';
export { ObservationCommands } from './application/observation-commands';
