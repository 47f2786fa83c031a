/**
 * Stack mode: the policy-relief service as its own process on PostgreSQL and Kafka.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/policy_relief KAFKA_BROKERS=127.0.0.1:9092 \
 *   JWT_SECRET=… node -r @swc-node/register services/policy-relief/src/main.ts
 */
import 'reflect-metadata';
import { loadConfig } from '@city/observability';
import { departmentOptionsOf, runMain } from '@city/service-kit';
import { POLICY_RELIEF_SERVICE_NAME } from './policy-relief-app';
import { PolicyReliefConfig } from './policy-relief-config';
import { startPolicyReliefStack } from './policy-relief-stack';

runMain(POLICY_RELIEF_SERVICE_NAME, () => startPolicyReliefStack(departmentOptionsOf(loadConfig(PolicyReliefConfig))));
