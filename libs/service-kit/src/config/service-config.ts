import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { DEFAULT_HTTP_ADAPTER, HTTP_ADAPTERS, type HttpAdapterName } from '../app/http-platform';
import { definedOnly } from '../defined-only';

/**
 * The environment every service of the city reads, validated at start-up
 * (`loadConfig`). A service's own config extends it, and may change a default
 * (`override PORT = 3005`).
 */
export class ServiceConfig {
  @IsInt() @Min(1) @Max(65535) PORT = 3000;
  /** Interface to listen on; all by default. */
  @IsOptional() @IsString() HOST?: string;
  /** The service's PostgreSQL database. */
  @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' }) DATABASE_URL!: string;
  /** Comma-separated host:port list. */
  @IsString() @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' }) KAFKA_BROKERS = '127.0.0.1:9092';
  /** HS256 secret of the bearer tokens. */
  @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' }) JWT_SECRET!: string;
  @IsOptional() @IsString() LOG_LEVEL?: string;
  /** The HTTP adapter: `fastify` (the faster, see bench/README.md) or `express`; the same API, errors and metrics on both. */
  @IsIn(HTTP_ADAPTERS) HTTP_ADAPTER: HttpAdapterName = DEFAULT_HTTP_ADAPTER;
}

/** A department service also chooses its event store and runs the relay to Kafka. */
export class DepartmentConfig extends ServiceConfig {
  /** Where events are stored: `postgres` (DATABASE_URL) or `eventstoredb` (EventStoreDB/KurrentDB). DATABASE_URL always holds the relay's checkpoint. */
  @IsIn(['postgres', 'eventstoredb']) EVENT_STORE = 'postgres';
  /** e.g. `esdb://kurrentdb:2113?tls=false`; required when EVENT_STORE=eventstoredb. */
  @ValidateIf((c: DepartmentConfig) => c.EVENT_STORE === 'eventstoredb')
  @IsString({ message: 'EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb' })
  @Matches(/^(esdb|kurrentdb|kdb)(\+discover)?:\/\//, { message: 'EVENTSTORE_CONNECTION_STRING must be an esdb:// URL' })
  EVENTSTORE_CONNECTION_STRING?: string;
  /** Relay producers in worker threads (faster catch-up after an outage); 0 keeps them in the service's thread. */
  @IsInt() @Min(0) @Max(8) RELAY_PRODUCER_THREADS = 2;
}

/** The settings of `ServiceConfig` as the options `startService` and `startDepartmentService` take. */
export function serviceOptionsOf(config: ServiceConfig): {
  port: number;
  host?: string;
  databaseUrl: string;
  kafkaBrokers: string[];
  jwtSecret: string;
  logLevel?: string;
  httpAdapter: HttpAdapterName;
} {
  return {
    port: config.PORT,
    ...definedOnly({ host: config.HOST, logLevel: config.LOG_LEVEL }),
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS.split(','),
    jwtSecret: config.JWT_SECRET,
    httpAdapter: config.HTTP_ADAPTER,
  };
}

/** The settings of `DepartmentConfig` as `startDepartmentService` takes them. */
export function departmentOptionsOf(config: DepartmentConfig) {
  return {
    ...serviceOptionsOf(config),
    ...(config.EVENT_STORE === 'eventstoredb' && config.EVENTSTORE_CONNECTION_STRING
      ? { eventStoreDbConnectionString: config.EVENTSTORE_CONNECTION_STRING }
      : {}),
    relayProducerThreads: config.RELAY_PRODUCER_THREADS,
  };
}
