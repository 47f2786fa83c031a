export * from './infrastructure';
export * from './sse-client';
export * from './containers/test-infrastructure';
export * from './prometheus-text';
export * from './readiness-probes';
export * from './dedicated-kafka';
export * from './free-port';
export * from './browser';
