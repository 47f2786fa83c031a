/**
 * Stack mode: the enterprise-reopening service as its own process on PostgreSQL and Kafka.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/enterprise_reopening KAFKA_BROKERS=127.0.0.1:9092 \
 *   JWT_SECRET=… node -r @swc-node/register services/enterprise-reopening/src/main.ts
 */
import 'reflect-metadata';
import { loadConfig } from '@city/observability';
import { departmentOptionsOf, runMain } from '@city/service-kit';
import { ENTERPRISE_REOPENING_SERVICE_NAME } from './enterprise-reopening-app';
import { EnterpriseReopeningConfig } from './enterprise-reopening-config';
import { startEnterpriseReopeningStack } from './enterprise-reopening-stack';

runMain(ENTERPRISE_REOPENING_SERVICE_NAME, () => startEnterpriseReopeningStack(departmentOptionsOf(loadConfig(EnterpriseReopeningConfig))));
