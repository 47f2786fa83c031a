/**
 * Stack mode: the operations center as its own process, reading the canvass
 * (and later the other departments') topics from Kafka into PostgreSQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ops KAFKA_BROKERS=127.0.0.1:9092 \
 *   JWT_SECRET=… node -r @swc-node/register services/operations-center/src/main.ts
 */
import 'reflect-metadata';
import { loadConfig } from '@city/observability';
import { runMain, serviceOptionsOf } from '@city/service-kit';
import { OperationsCenterConfig } from './operations-center-config';
import { OPERATIONS_CENTER_SERVICE } from './operations-center.module';
import { startOperationsCenterStack } from './operations-center-stack';

runMain(OPERATIONS_CENTER_SERVICE, async () => {
  const config = loadConfig(OperationsCenterConfig);
  await startOperationsCenterStack({ ...serviceOptionsOf(config), groupId: config.KAFKA_GROUP_ID, queryOnly: config.QUERY_ONLY === 'true' });
});
