/**
 * One service of the city in stack mode as a process of its own, so that a test
 * can kill it (kill -9) and start it again as an orchestrator would: the canvass
 * service or the operations center, configured from the environment as their
 * `main.ts` are (the kit's `DepartmentConfig` / `ServiceConfig`), but on the
 * test's own topic (`E2E_TOPIC`) so that parallel runs on a shared broker never
 * see each other's events.
 *
 *   E2E_TOPIC=… DATABASE_URL=… KAFKA_BROKERS=… JWT_SECRET=… PORT=… \
 *   node -r @swc-node/register e2e/support/stack-service.ts canvass|operations-center
 *
 * Started by `ServiceProcess` (service-process.ts) over an IPC channel: when the
 * test process goes away, so does the service.
 */
import 'reflect-metadata';
import { startCanvassStack } from '@city/canvass-service';
import { loadConfig } from '@city/observability';
import { canvassReadModel, startOperationsCenterStack } from '@city/operations-center-service';
import { DepartmentConfig, departmentOptionsOf, runMain, ServiceConfig, serviceOptionsOf } from '@city/service-kit';

const role = process.argv[2];
const topic = process.env.E2E_TOPIC;
if (!topic) throw new Error('E2E_TOPIC is required');

// The test that started this process died or hung up: never outlive it.
process.on('disconnect', () => process.exit(0));

if (role === 'canvass') {
  runMain('canvass', () => startCanvassStack({ ...departmentOptionsOf(loadConfig(DepartmentConfig)), topic }));
} else if (role === 'operations-center') {
  runMain('operations-center', () =>
    startOperationsCenterStack({
      ...serviceOptionsOf(loadConfig(ServiceConfig)),
      groupId: process.env.KAFKA_GROUP_ID ?? 'operations-center',
      contexts: [{ ...canvassReadModel(), topic }],
      swagger: false,
    }),
  );
} else {
  throw new Error(`unknown role ${String(role)}: canvass or operations-center`);
}
