export * from './event-context';
export * from './consumer-offsets';
export * from './kafka-event-transport';
export * from './keep-event-errors.filter';
