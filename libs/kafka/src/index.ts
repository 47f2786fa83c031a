export * from './topics';
export * from './kafka-client';
export * from './checkpoint-store';
export * from './event-relay';
export * from './dead-letter';
export * from './kafka-consumer-runner';
export * from './cloud-event-decoder';
export * from './batch-sender';
