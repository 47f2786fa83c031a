import { CANVASS_STREAM_PREFIX, CANVASS_TOPIC } from '@city/contracts';
import { startDepartmentService, type DepartmentDefinition, type DepartmentStack, type DepartmentStackOptions } from '@city/service-kit';
import { PgDatabase, PgKeyedLock } from '@city/sql';
import { CANVASS_API_DOCS, CANVASS_SERVICE_NAME } from './canvass-app';
import { CanvassModule } from './canvass.module';

export type CanvassStackOptions = DepartmentStackOptions;
export type CanvassStack = DepartmentStack;

/** Gate-duty commands of different officials that may check for overlaps at the same moment; more wait for a connection. */
const GATE_DUTY_LOCK_CONNECTIONS = 4;

/** Canvass as the kit runs it in stack mode: its streams, its topic, and its module. */
export const CANVASS_DEPARTMENT: DepartmentDefinition = {
  name: CANVASS_SERVICE_NAME,
  streamPrefix: CANVASS_STREAM_PREFIX,
  topic: CANVASS_TOPIC,
  swagger: CANVASS_API_DOCS,
  module: ({ store, db, databaseUrl, closeAtShutdown }) => {
    // Its own few connections, so that officials waiting for the gate-duty lock never hold the ones their commands need.
    const lockDb = closeAtShutdown(new PgDatabase({ connectionString: databaseUrl, max: GATE_DUTY_LOCK_CONNECTIONS }));
    // Replicas share the database: an official's gate duty is checked for overlaps by one of them at a time.
    // The read model's tables and checkpoint live in the department's database, shared by the replicas.
    return CanvassModule.register({ eventStore: store, readModelDb: db, gateDutyLock: new PgKeyedLock(lockDb, `${CANVASS_SERVICE_NAME}:gate-duty`) });
  },
};

/** The canvass service in stack mode (see `startDepartmentService`). */
export function startCanvassStack(options: CanvassStackOptions): Promise<CanvassStack> {
  return startDepartmentService(CANVASS_DEPARTMENT, options);
}
