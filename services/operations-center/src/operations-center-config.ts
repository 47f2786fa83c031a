import { IsOptional, IsString } from 'class-validator';
import { ServiceConfig } from '@city/service-kit';

/** Stack-mode configuration from environment variables (`loadConfig`): the kit's, and the consumer group. */
export class OperationsCenterConfig extends ServiceConfig {
  override PORT = 3005;
  /** Consumer group prefix; each context consumes as `<group>.<context key>`. */
  @IsString() KAFKA_GROUP_ID = 'operations-center';
  /** Set to `true` to serve queries and live updates only, without consuming Kafka (extra API replicas). */
  @IsOptional() @IsString() QUERY_ONLY?: string;
}
