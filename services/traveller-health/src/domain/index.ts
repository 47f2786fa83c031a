export * from './case.decider';
export * from './access-policy';
export * from './command-context';
export * from './rules';
