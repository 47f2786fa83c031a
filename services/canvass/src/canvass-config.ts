import { DepartmentConfig } from '@city/service-kit';

/** Stack-mode configuration from environment variables, validated at start-up (`loadConfig`): the kit's, on canvass' port. */
export class CanvassConfig extends DepartmentConfig {
  override PORT = 3001;
}
