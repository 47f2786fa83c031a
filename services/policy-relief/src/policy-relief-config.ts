import { DepartmentConfig } from '@city/service-kit';

/** Stack-mode configuration from environment variables, validated at start-up (`loadConfig`): the kit's, on policy-relief's port. */
export class PolicyReliefConfig extends DepartmentConfig {
  override PORT = 3004;
}
