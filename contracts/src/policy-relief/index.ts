export * from './events';
export * from './measures';
export * from './samples';
