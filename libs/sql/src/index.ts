export * from './sql-database';
export * from './pg-database';
export * from './pglite-database';
export * from './pg-leader-lock';
export * from './pg-keyed-lock';
export * from './json-array-param';
export * from './array-literal';
