export * from './enterprise.decider';
export * from './access-policy';
export * from './command-context';
export * from './industry-catalog';
export * from './rules';
