export * from './event-context';
export * from './kafka-event-transport';
export * from './keep-event-errors.filter';
