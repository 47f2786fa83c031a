export * from './decider-specification';
export * from './in-memory-event-store';
export * from './event-store-contract';
