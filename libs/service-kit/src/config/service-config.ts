import type { AuthModuleOptions } from '@city/auth';
import { kafkaSecurityFromEnv, type KafkaSecurity } from '@city/kafka';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { DEFAULT_HTTP_ADAPTER, HTTP_ADAPTERS, type HttpAdapterName, TRUST_PROXY_PATTERN, type TrustProxy, trustProxyOf } from '../app/http-platform';
import type { RateLimitOptions } from '../app/rate-limit';
import { definedOnly } from '../defined-only';
import { KafkaSecuritySetting } from './kafka-settings';
import { authOptionsOf, SharedSecretOutsideDeployment, type TokenSettings, TrustedIssuersSetting } from './token-settings';

/** The management listener needs a port of its own. */
@ValidatorConstraint({ name: 'managementPortApart' })
class ManagementPortApart implements ValidatorConstraintInterface {
  validate(port: unknown, args: ValidationArguments): boolean {
    return port !== (args.object as { PORT?: unknown }).PORT;
  }

  defaultMessage(): string {
    return 'MANAGEMENT_PORT must differ from PORT (unset it to serve /metrics and /docs on PORT)';
  }
}

/**
 * The environment every service of the city reads, validated at start-up
 * (`loadConfig`). A service's own config extends it, and may change a default
 * (`override PORT = 3005`).
 */
export class ServiceConfig implements TokenSettings {
  @IsInt() @Min(1) @Max(65535) PORT = 3000;
  /** Interface to listen on; all by default. */
  @IsOptional() @IsString() HOST?: string;
  /** The service's PostgreSQL database. */
  @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' }) DATABASE_URL!: string;
  /** Comma-separated host:port list. */
  @IsString() @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' }) KAFKA_BROKERS = '127.0.0.1:9092';
  /**
   * TLS to the brokers (every producer and consumer of the service), verified against the system's CAs or
   * KAFKA_SSL_CA_FILE; checked with the SASL settings below, every file read at start (`checkKafkaSecurity`).
   */
  @Validate(KafkaSecuritySetting) KAFKA_SSL = false;
  /** PEM file of the CA(s) that signed the brokers' certificates; needs KAFKA_SSL=true. */
  @IsOptional() @IsString() KAFKA_SSL_CA_FILE?: string;
  /** PEM client certificate and its key (both), for brokers that authenticate clients by certificate. */
  @IsOptional() @IsString() KAFKA_SSL_CERT_FILE?: string;
  @IsOptional() @IsString() KAFKA_SSL_KEY_FILE?: string;
  /** `scram-sha-512`, `scram-sha-256` or `plain` (plain only with KAFKA_SSL=true); with KAFKA_SASL_USERNAME and a password. */
  @IsOptional() @IsString() KAFKA_SASL_MECHANISM?: string;
  @IsOptional() @IsString() KAFKA_SASL_USERNAME?: string;
  /** The SASL password, or KAFKA_SASL_PASSWORD_FILE (a mounted secret), never both; never logged. */
  @IsOptional() @IsString() KAFKA_SASL_PASSWORD?: string;
  @IsOptional() @IsString() KAFKA_SASL_PASSWORD_FILE?: string;
  /** `production` in a deployment (docker-compose, Kubernetes): tokens must then be verified against the issuers' keys. */
  @IsOptional() @IsString() NODE_ENV?: string;
  /**
   * HS256 shared secret of the bearer tokens: `npm start` (which signs its own sample tokens)
   * and local runs only; refused when NODE_ENV=production or JWT_ISSUERS is set.
   */
  @ValidateIf((c: ServiceConfig) => c.JWT_SECRET !== undefined || (c.JWT_ISSUERS === undefined && c.NODE_ENV !== 'production'))
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  @Validate(SharedSecretOutsideDeployment)
  JWT_SECRET?: string;
  /**
   * The identity providers whose tokens are accepted, a JSON array: `[{"issuer":"https://id.city.example/canvass",
   * "department":"canvass","jwksUrl":"https://…/jwks.json"},{"issuer":"https://id.city.example","keyFile":"/etc/city/idp.pem"}]`.
   * A department-bound issuer signs only that department's tokens. Required when NODE_ENV=production.
   */
  @ValidateIf((c: ServiceConfig) => c.JWT_ISSUERS !== undefined || c.NODE_ENV === 'production')
  @Validate(TrustedIssuersSetting)
  JWT_ISSUERS?: string;
  /** The audience (`aud`) the tokens must name, e.g. `city-services`; required with JWT_ISSUERS. */
  @ValidateIf((c: ServiceConfig) => c.JWT_ISSUERS !== undefined)
  @IsString({ message: 'JWT_AUDIENCE is required with JWT_ISSUERS' })
  @MinLength(1, { message: 'JWT_AUDIENCE is required with JWT_ISSUERS' })
  JWT_AUDIENCE?: string;
  /** Longest accepted token lifetime (exp − iat), in seconds. */
  @IsInt() @Min(60) @Max(7 * 24 * 3600) JWT_MAX_LIFETIME_SECONDS = 12 * 3600;
  /** How far in the future a token's iat may lie (clock skew), in seconds. */
  @IsInt() @Min(0) @Max(600) JWT_CLOCK_SKEW_SECONDS = 60;
  /** How long the keys fetched from a JWKS URL are kept before they are fetched again (a token with an unknown key id fetches at once). */
  @IsInt() @Min(10) @Max(24 * 3600) JWT_JWKS_CACHE_SECONDS = 600;
  /** How long a verified token is reused without checking its signature again (0: every request); expiry is checked every time. */
  @IsInt() @Min(0) @Max(600) JWT_VERIFIED_TOKEN_SECONDS = 60;
  @IsOptional() @IsString() LOG_LEVEL?: string;
  /** The HTTP adapter: `fastify` (the faster, see bench/README.md) or `express`; the same API, errors and metrics on both. */
  @IsIn(HTTP_ADAPTERS) HTTP_ADAPTER: HttpAdapterName = DEFAULT_HTTP_ADAPTER;
  /** The most a shutdown may take, from SIGTERM to exit, whatever the broker or a database does; keep it under the orchestrator's grace period. */
  @IsInt() @Min(1000) @Max(600_000) SHUTDOWN_TIMEOUT_MS = 25_000;
  /**
   * Port of the management listener: /metrics and /docs (OpenAPI) move there from PORT, so that a deployment
   * can keep them inside the cluster; /health/live and /health/ready answer on both. Unset: all on PORT
   * (local runs, tests). The deployments in deploy/ set 9464.
   */
  @IsOptional() @IsInt() @Min(1) @Max(65535) @Validate(ManagementPortApart) MANAGEMENT_PORT?: number;
  /** Interface of the management listener; all by default (Prometheus and the kubelet reach the pod's IP). */
  @IsOptional() @IsString() MANAGEMENT_HOST?: string;
  /**
   * Commands (POST, PUT, PATCH, DELETE) a minute a token subject may send to one replica, over all routes;
   * past it 429 with Retry-After. 0 = no limit. 1200 (20 a second, sustained for a minute) is far above what
   * a person or a district system sends, and stops a runaway client or a stolen token flooding the store.
   */
  @IsInt() @Min(0) @Max(1_000_000) RATE_LIMIT_PER_MINUTE = 1200;
  /**
   * The same for requests without a token (travellers registering), per client address. Behind a proxy that
   * address is the proxy's unless TRUST_PROXY names it, and this would cap the anonymous commands of a whole
   * replica. 0 = no limit.
   */
  @IsInt() @Min(0) @Max(1_000_000) RATE_LIMIT_ANONYMOUS_PER_MINUTE = 1200;
  /**
   * Which proxies in front of the service are believed about the client's address (X-Forwarded-For): `false`
   * (none, the default), `true` (any), a number of hops, or addresses and CIDR ranges separated by commas
   * (e.g. the ingress controllers' pod range). The anonymous rate limit counts per client address.
   */
  @IsOptional()
  @Matches(TRUST_PROXY_PATTERN, { message: 'TRUST_PROXY must be true, false, a number of hops or a comma-separated list of addresses/CIDR ranges' })
  TRUST_PROXY?: string;
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
  kafkaSecurity: KafkaSecurity;
  auth: AuthModuleOptions;
  logLevel?: string;
  httpAdapter: HttpAdapterName;
  shutdownTimeoutMs: number;
  managementPort?: number;
  managementHost?: string;
  rateLimit: RateLimitOptions;
  trustProxy?: TrustProxy;
} {
  return {
    port: config.PORT,
    ...definedOnly({ host: config.HOST, logLevel: config.LOG_LEVEL, managementPort: config.MANAGEMENT_PORT, managementHost: config.MANAGEMENT_HOST }),
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS.split(','),
    kafkaSecurity: kafkaSecurityFromEnv(config),
    auth: authOptionsOf(config),
    httpAdapter: config.HTTP_ADAPTER,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    rateLimit: { perMinute: config.RATE_LIMIT_PER_MINUTE, anonymousPerMinute: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE },
    ...definedOnly({ trustProxy: trustProxyOf(config.TRUST_PROXY) }),
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
