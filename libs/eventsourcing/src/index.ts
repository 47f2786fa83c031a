export * from './decider';
export * from './event';
export * from './errors';
export * from './event-store';
export * from './command-handler';
export * from './stream-state-cache';
export * from './upcasting';
export * from './validate-append';
