export * from './event-schemas';
export * from './contract-validation';
