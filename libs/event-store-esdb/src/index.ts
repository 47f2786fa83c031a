export * from './esdb-event-store';
export { toExpectedRevision, toRecordedEvent as fromEsdbRecordedEvent } from './esdb-mapping';
export type { ResubscribeBackoff } from './esdb-subscription';
export { AppendTooLargeError, checkEsdbAppend, isPermanentSubscriptionError, MAX_APPEND_BYTES, StreamTombstonedError } from './esdb-errors';
export { EventStoreDbSubscriptionError } from './esdb-subscription';
