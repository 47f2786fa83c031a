import { DepartmentConfig } from '@city/service-kit';

/** Stack-mode configuration from environment variables, validated at start-up (`loadConfig`): the kit's, on enterprise-reopening's port. */
export class EnterpriseReopeningConfig extends DepartmentConfig {
  override PORT = 3003;
}
