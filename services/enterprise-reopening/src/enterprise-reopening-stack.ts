import { ENTERPRISE_REOPENING_STREAM_PREFIX, ENTERPRISE_REOPENING_TOPIC } from '@city/contracts';
import { startDepartmentService, type DepartmentDefinition, type DepartmentStack, type DepartmentStackOptions } from '@city/service-kit';
import { ENTERPRISE_REOPENING_API_DOCS, ENTERPRISE_REOPENING_SERVICE_NAME } from './enterprise-reopening-app';
import { EnterpriseReopeningModule } from './enterprise-reopening.module';

/** Enterprise reopening as the kit runs it in stack mode: its streams, its topic, and its module. */
export const ENTERPRISE_REOPENING_DEPARTMENT: DepartmentDefinition = {
  name: ENTERPRISE_REOPENING_SERVICE_NAME,
  streamPrefix: ENTERPRISE_REOPENING_STREAM_PREFIX,
  topic: ENTERPRISE_REOPENING_TOPIC,
  swagger: ENTERPRISE_REOPENING_API_DOCS,
  module: ({ store, db }) => EnterpriseReopeningModule.register({ eventStore: store, db, scheduling: { db } }),
};

/** The enterprise-reopening service in stack mode (see `startDepartmentService`). */
export function startEnterpriseReopeningStack(options: DepartmentStackOptions): Promise<DepartmentStack> {
  return startDepartmentService(ENTERPRISE_REOPENING_DEPARTMENT, options);
}
