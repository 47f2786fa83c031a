export * from './events';
export * from './credit-code';
export * from './industries';
export * from './samples';
