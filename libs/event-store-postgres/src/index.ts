export * from './postgres-event-store';
export * from './errors';
export { EventStoreSchema } from './schema';
export { validateAppend } from './validate-append';
export type { ValidatedEvent } from './validate-append';
