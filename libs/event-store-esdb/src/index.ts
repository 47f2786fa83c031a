export * from './esdb-event-store';
export { toExpectedRevision, toRecordedEvent as fromEsdbRecordedEvent } from './esdb-mapping';
export type { ResubscribeBackoff } from './esdb-subscription';
