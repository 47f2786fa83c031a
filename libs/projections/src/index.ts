export * from './projection';
export * from './schema';
export * from './progress';
export * from './projection-runner';
export * from './event-store-projection-runner';
export * from './rebuild';
export * from './store-read-model';
