export * from './postgres-event-store';
export * from './errors';
export { EventStoreSchema } from './schema';
export { GroupCommitQueue, type Queued } from './group-commit-queue';
