export * from './infrastructure';
export * from './sse-client';
export * from './containers/test-infrastructure';
export * from './prometheus-text';
export * from './readiness-probes';
