/**
 * The operations center as other deployables compose it (the embedded city runs it
 * in-process on PGlite with the event store's subscription as its feed; stack mode runs `main.ts`).
 */
export { OperationsCenterModule, OPERATIONS_CENTER_SERVICE } from './operations-center.module';
export { createOperationsCenterApp, startOperationsCenterStack } from './operations-center-stack';
export type { OperationsCenterAppOptions, OperationsCenterStackOptions } from './operations-center-stack';
export type { OperationsCenterOptions } from './operations-center.module';
export { eventStoreProjectionFeed, kafkaProjectionFeed, metricsObserver } from './projection-feeds';
export type { ProjectionFeed, ProjectionFeedFactory } from './projection-feeds';
export { canvassReadModel } from './contexts/canvass/canvass-read-model';
export { travellerHealthReadModel } from './contexts/traveller-health/traveller-health-read-model';
export { OPERATIONS_CONTEXTS, defaultContexts } from './contexts/registry';
export type { ContextReadModel } from './read-model/context-read-model';
export { rebuildContext } from './rebuild';
export { OperationsReadModel } from './read-model/operations-read-model';
export { liveAsOf, pastAsOf, type AsOf } from './read-model/as-of';
export { migrateOpsSchema } from './read-model/ops-schema';
export { migrateFigureStore } from './read-model/figures/figure-store';
