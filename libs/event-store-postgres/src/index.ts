export * from './postgres-event-store';
export * from './errors';
export { EventStoreSchema } from './schema';
