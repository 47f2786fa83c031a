import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { DepartmentConfig, departmentOptionsOf, type DepartmentStackOptions } from '@city/service-kit';
import { parseMasterKeys } from './application/privacy-keys';
import type { TravellerHealthSettings } from './traveller-health-stack';

/** Stack-mode configuration from environment variables, validated at start-up (`loadConfig`): the kit's, on traveller-health's port, and its keys. */
export class TravellerHealthConfig extends DepartmentConfig {
  override PORT = 3002;
  /** Keys the HMAC that turns a document into the pseudonymous traveller id. Changing it splits every traveller in two: keep it. */
  @IsString() @MinLength(32, { message: 'TRAVELLER_ID_SECRET must be at least 32 characters' }) TRAVELLER_ID_SECRET!: string;
  /** `id:base64,id:base64`, 32-byte keys, the current one first; the others only until `rotate-master-key` has re-wrapped their data keys. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,40}:[A-Za-z0-9+/=]{43,44})*$/, {
    message: 'PII_MASTER_KEYS must be id:base64-of-32-bytes[,id:base64...]',
  })
  PII_MASTER_KEYS!: string;
  /** Days after a person was last seen (last registration, or release from observation if later) before their data key is destroyed. */
  @IsInt() @Min(1) @Max(3650) PII_RETENTION_DAYS = 28;
  /** Rule set of new registrations (domain/rule-sets); default the current one. */
  @IsOptional() @IsString() RISK_RULE_SET?: string;
}

export function travellerHealthOptionsOf(config: TravellerHealthConfig): DepartmentStackOptions & TravellerHealthSettings {
  return {
    ...departmentOptionsOf(config),
    privacy: { travellerIdSecret: config.TRAVELLER_ID_SECRET, masterKeys: parseMasterKeys(config.PII_MASTER_KEYS) },
    retentionDays: config.PII_RETENTION_DAYS,
    ...(config.RISK_RULE_SET ? { ruleSetVersion: config.RISK_RULE_SET } : {}),
  };
}
