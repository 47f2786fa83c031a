import { Logger } from '@nestjs/common';
import { ENTERPRISE_REOPENING_TOPIC, POLICY_RELIEF_STREAM_PREFIX, POLICY_RELIEF_TOPIC } from '@city/contracts';
import { createKafka } from '@city/kafka';
import { connectEventConsumer, KafkaEventTransport } from '@city/kafka-transport';
import { METRICS_REGISTRY } from '@city/observability';
import { startDepartmentService, type DepartmentDefinition, type DepartmentStack, type DepartmentStackOptions } from '@city/service-kit';
import type { Registry } from 'prom-client';
import { POLICY_RELIEF_API_DOCS, POLICY_RELIEF_SERVICE_NAME } from './policy-relief-app';
import { PolicyReliefModule } from './policy-relief.module';
import { EnterpriseView } from './application/enterprise-view';

/** Consumer group (and name of its stored offsets) of the view of enterprises. */
export const ENTERPRISE_VIEW_CONSUMER = 'policy-relief-enterprises';

/** Policy relief as the kit runs it in stack mode: its streams, its topic, and its module. */
export const POLICY_RELIEF_DEPARTMENT: DepartmentDefinition = {
  name: POLICY_RELIEF_SERVICE_NAME,
  streamPrefix: POLICY_RELIEF_STREAM_PREFIX,
  topic: POLICY_RELIEF_TOPIC,
  swagger: POLICY_RELIEF_API_DOCS,
  // The applications read model and the view of enterprises live in the department's database, shared by its replicas.
  module: ({ store, db }) => PolicyReliefModule.register({ eventStore: store, readModelDb: db }),
};

export interface PolicyReliefStackOptions extends DepartmentStackOptions {
  /** Topic of enterprise-reopening's events the view of enterprises reads; default `enterprise-reopening.events.v1`. Tests use one of their own. */
  readonly enterpriseTopic?: string;
  /** Consumer group of that view; default `policy-relief-enterprises`. */
  readonly enterpriseConsumerGroup?: string;
}

/**
 * The policy-relief service in stack mode (see `startDepartmentService`), with
 * its view of enterprises fed from enterprise-reopening's topic by the kit's
 * Kafka transport (offsets in the view's transaction, DLQ, seek on rebalance).
 * The consumer joins its group in the background: the service answers while
 * the broker is down, and an application from an enterprise the view does not
 * know yet is refused with the reason.
 */
export async function startPolicyReliefStack(options: PolicyReliefStackOptions): Promise<DepartmentStack> {
  const stack = await startDepartmentService(POLICY_RELIEF_DEPARTMENT, options);
  const view = stack.app.get(EnterpriseView);
  const transport = new KafkaEventTransport({
    kafka: createKafka({ brokers: options.kafkaBrokers, clientId: ENTERPRISE_VIEW_CONSUMER, ...options.kafkaSecurity }),
    db: view.db,
    groupId: options.enterpriseConsumerGroup ?? ENTERPRISE_VIEW_CONSUMER,
    topics: [options.enterpriseTopic ?? ENTERPRISE_REOPENING_TOPIC],
    registry: stack.app.get<Registry>(METRICS_REGISTRY, { strict: false }),
  });
  connectEventConsumer(stack.app, transport);
  const logger = new Logger(ENTERPRISE_VIEW_CONSUMER);
  stack.app.startAllMicroservices().then(
    () => logger.log(`view of enterprises reading ${transport.topics().join(', ')}`),
    (error: unknown) => logger.error(`view of enterprises did not start: ${error instanceof Error ? error.message : String(error)}`),
  );
  return stack;
}
