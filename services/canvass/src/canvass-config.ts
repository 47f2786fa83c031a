import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';

/** Stack-mode configuration from environment variables, validated at start-up (`loadConfig`). */
export class CanvassConfig {
  @IsInt() @Min(1) @Max(65535) PORT = 3001;
  /** Interface to listen on; all by default. */
  @IsOptional() @IsString() HOST?: string;
  /** PostgreSQL: the event store (EVENT_STORE=postgres), and always the relay's checkpoint. */
  @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' }) DATABASE_URL!: string;
  /** Where events are stored: `postgres` (DATABASE_URL) or `eventstoredb` (EventStoreDB/KurrentDB). */
  @IsIn(['postgres', 'eventstoredb']) EVENT_STORE = 'postgres';
  /** e.g. `esdb://kurrentdb:2113?tls=false`; required when EVENT_STORE=eventstoredb. */
  @ValidateIf((c: CanvassConfig) => c.EVENT_STORE === 'eventstoredb')
  @IsString({ message: 'EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb' })
  @Matches(/^(esdb|kurrentdb|kdb)(\+discover)?:\/\//, { message: 'EVENTSTORE_CONNECTION_STRING must be an esdb:// URL' })
  EVENTSTORE_CONNECTION_STRING?: string;
  /** Comma-separated host:port list. */
  @IsString() @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' }) KAFKA_BROKERS = '127.0.0.1:9092';
  @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' }) JWT_SECRET!: string;
  @IsOptional() @IsString() LOG_LEVEL?: string;
  /** Relay producers in worker threads (faster catch-up after an outage); 0 keeps them in the service's thread. */
  @IsInt() @Min(0) @Max(8) RELAY_PRODUCER_THREADS = 2;
}
