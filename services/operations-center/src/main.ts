/**
 * Stack mode: the operations center as its own process, reading the canvass
 * (and later the other departments') topics from Kafka into PostgreSQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ops KAFKA_BROKERS=127.0.0.1:9092 \
 *   JWT_SECRET=… node -r @swc-node/register services/operations-center/src/main.ts
 */
import 'reflect-metadata';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { createKafka } from '@city/kafka';
import { bootstrapService, loadConfig } from '@city/observability';
import { PgDatabase } from '@city/sql';
import { OPERATIONS_CENTER_SERVICE, operationsCenterApp } from './operations-center.module';
import { kafkaProjectionFeed } from './projection-feeds';

class OperationsCenterConfig {
  @IsInt() @Min(1) @Max(65535) PORT = 3005;
  /** The read models (and the stored Kafka offsets). */
  @IsString() DATABASE_URL!: string;
  @IsString() KAFKA_BROKERS = '127.0.0.1:9092';
  @IsString() KAFKA_GROUP_ID = 'operations-center';
  /** Set to serve queries and live updates only, without consuming Kafka (extra API replicas). */
  @IsOptional() @IsString() QUERY_ONLY?: string;
}

async function main(): Promise<void> {
  const config = loadConfig(OperationsCenterConfig);
  const readDb = new PgDatabase(config.DATABASE_URL);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS.split(','), clientId: OPERATIONS_CENTER_SERVICE });
  const admin = kafka.admin();
  await admin.connect();
  const queryOnly = config.QUERY_ONLY === 'true';
  const app = operationsCenterApp({
    readDb,
    feed: queryOnly ? undefined : kafkaProjectionFeed({ kafka, groupId: config.KAFKA_GROUP_ID }),
    readiness: queryOnly ? [] : [{ name: 'kafka', check: () => admin.describeCluster() }],
    onShutdown: async () => {
      await admin.disconnect().catch(() => undefined);
      await readDb.close();
    },
  });
  await bootstrapService(app, { serviceName: OPERATIONS_CENTER_SERVICE, port: config.PORT });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
