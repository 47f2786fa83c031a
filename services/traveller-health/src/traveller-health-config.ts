import { DepartmentConfig } from '@city/service-kit';

/** Stack-mode configuration from environment variables, validated at start-up (`loadConfig`): the kit's, on traveller-health's port. */
export class TravellerHealthConfig extends DepartmentConfig {
  override PORT = 3002;
}
