export * from './events';
export * from './contracts';
