/**
 * Stack mode: the traveller-health service as its own process on PostgreSQL and Kafka.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/traveller_health KAFKA_BROKERS=127.0.0.1:9092 \
 *   JWT_SECRET=… TRAVELLER_ID_SECRET=… PII_MASTER_KEYS=m1:<base64 of 32 bytes> \
 *   node -r @swc-node/register services/traveller-health/src/main.ts
 */
import 'reflect-metadata';
import { loadConfig } from '@city/observability';
import { runMain } from '@city/service-kit';
import { TRAVELLER_HEALTH_SERVICE_NAME } from './traveller-health-app';
import { TravellerHealthConfig, travellerHealthOptionsOf } from './traveller-health-config';
import { startTravellerHealthStack } from './traveller-health-stack';

runMain(TRAVELLER_HEALTH_SERVICE_NAME, () => startTravellerHealthStack(travellerHealthOptionsOf(loadConfig(TravellerHealthConfig))));
