export * from './infrastructure';
export * from './sse-client';
