export * from './clock';
export * from './command-id';
export * from './schedule-store';
export * from './scheduler-metrics';
export * from './command-scheduler';
