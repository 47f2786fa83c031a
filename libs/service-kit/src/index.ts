/**
 * @city/service-kit: what a department service (and the operations center) is
 * assembled from. A department declares its name, stream prefix, topic and Nest
 * module (`DepartmentDefinition`); the kit gives it the event store of its
 * choice, the relay to Kafka run by one replica at a time, readiness that
 * tolerates a broker that is down, the shutdown order, the HTTP platform, the
 * base configuration and the shared API field rules.
 */
export { definedOnly } from './defined-only';
export { DepartmentConfig, departmentOptionsOf, ServiceConfig, serviceOptionsOf } from './config/service-config';

export {
  byteLimitOf,
  createHttpApp,
  createManagementApp,
  DEFAULT_HTTP_ADAPTER,
  HTTP_ADAPTERS,
  initHttpApp,
  takeOverResponse,
  trustProxyOf,
} from './app/http-platform';
export type { HttpAdapterName, HttpAppOptions, TrustProxy } from './app/http-platform';
export { createServiceApp } from './app/service-app';
export { RateLimitModule } from './app/rate-limit';
export type { RateLimitOptions } from './app/rate-limit';
export type { ServiceAppOptions } from './app/service-app';
export { runMain, startService } from './app/start-service';
export type { ListenOptions, RunningService } from './app/start-service';
export { SHUTDOWN_WORK, ShutdownWork } from './app/shutdown-work';
export type { ShutdownWorkFn } from './app/shutdown-work';
export { DEFAULT_SHUTDOWN_TIMEOUT_MS, ShutdownDeadline } from './app/shutdown-deadline';
export type { ShutdownLog, ShutdownStep, ShutdownStepOutcome } from './app/shutdown-deadline';

export { startDepartmentService } from './department/department-service';
export type { DepartmentDefinition, DepartmentResources, DepartmentStack, DepartmentStackOptions } from './department/department-service';

export { openEventStore } from './infra/event-store-choice';
export { kafkaReadiness } from './infra/kafka-readiness';
export type { KafkaReadiness } from './infra/kafka-readiness';
export { LeaderRelay } from './infra/leader-relay';

export { ApiCreatedOrRetried, ApiErrors } from './api/api-docs';
export { createdOrOk, requestContext } from './api/request-context';
export type { StatusResponse } from './api/request-context';
export {
  CountField,
  DATE_TIME_PATTERN,
  DateTimeField,
  DAY_PATTERN,
  DayField,
  DISTRICT_CODE_PATTERN,
  DistrictCodeField,
  EnumField,
  ID_PATTERN,
  IdField,
  NestedField,
  SUBDISTRICT_CODE_PATTERN,
  SubdistrictCodeField,
  TextField,
} from './api/validators';
export type { FieldDoc } from './api/validators';

export { SCREENS_KIT_ROOT, screensController } from './web/screens.controller';
export type { ScreensOptions } from './web/screens.controller';
export { CONTENT_TYPES, sendFile, StaticFiles } from './web/static-files';
export type { WebRequest, WebResponse } from './web/static-files';
