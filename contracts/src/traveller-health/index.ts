export * from './events';
export * from './samples';
