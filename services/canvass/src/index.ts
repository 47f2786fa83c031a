/**
 * The canvass service as other deployables compose it (the embedded city runs
 * it in-process on PGlite; stack mode runs `main.ts`).
 */
export { CanvassModule, CANVASS_EVENT_STORE } from './canvass.module';
export type { CanvassModuleOptions } from './canvass.module';
export { createCanvassApp, CANVASS_SERVICE_NAME } from './canvass-app';
export type { CanvassAppOptions } from './canvass-app';
export { CANVASS_DEPARTMENT, startCanvassStack } from './canvass-stack';
export type { CanvassStack, CanvassStackOptions } from './canvass-stack';
export { CanvassCommands } from './application/canvass-commands';
export type { CommandReceipt, RequestContext } from './application/canvass-commands';
export { CanvassQueries } from './application/canvass-queries';
export { CanvassReadModel, CanvassReadModelProjection } from './application/canvass-read-model';
export { Rule } from './domain/rules';
export type { RuleName } from './domain/rules';
