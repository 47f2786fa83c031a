/**
 * Stack mode: the canvass service as its own process on PostgreSQL and Kafka.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass KAFKA_BROKERS=127.0.0.1:9092 \
 *   JWT_SECRET=… node -r @swc-node/register services/canvass/src/main.ts
 */
import 'reflect-metadata';
import { loadConfig } from '@city/observability';
import { departmentOptionsOf, runMain } from '@city/service-kit';
import { CANVASS_SERVICE_NAME } from './canvass-app';
import { CanvassConfig } from './canvass-config';
import { startCanvassStack } from './canvass-stack';

runMain(CANVASS_SERVICE_NAME, () => startCanvassStack(departmentOptionsOf(loadConfig(CanvassConfig))));
