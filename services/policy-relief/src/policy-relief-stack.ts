import { POLICY_RELIEF_STREAM_PREFIX, POLICY_RELIEF_TOPIC } from '@city/contracts';
import { startDepartmentService, type DepartmentDefinition, type DepartmentStack, type DepartmentStackOptions } from '@city/service-kit';
import { POLICY_RELIEF_API_DOCS, POLICY_RELIEF_SERVICE_NAME } from './policy-relief-app';
import { PolicyReliefModule } from './policy-relief.module';

/** Policy relief as the kit runs it in stack mode: its streams, its topic, and its module. */
export const POLICY_RELIEF_DEPARTMENT: DepartmentDefinition = {
  name: POLICY_RELIEF_SERVICE_NAME,
  streamPrefix: POLICY_RELIEF_STREAM_PREFIX,
  topic: POLICY_RELIEF_TOPIC,
  swagger: POLICY_RELIEF_API_DOCS,
  // The applications read model and the view of enterprises live in the department's database, shared by its replicas.
  module: ({ store, db }) => PolicyReliefModule.register({ eventStore: store, readModelDb: db }),
};

/** The policy-relief service in stack mode (see `startDepartmentService`). */
export function startPolicyReliefStack(options: DepartmentStackOptions): Promise<DepartmentStack> {
  return startDepartmentService(POLICY_RELIEF_DEPARTMENT, options);
}
