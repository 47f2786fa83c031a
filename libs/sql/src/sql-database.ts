/**
 * The small SQL surface this project needs, implemented on node-postgres (`pg`)
 * and on embedded PGlite, so the event store, projections and read models run
 * unchanged on a PostgreSQL server and in-process.
 */
export type SqlParam = string | number | bigint | boolean | null | Date | Buffer | readonly unknown[] | object;

export interface SqlResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<SqlResult<Row>>;
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK on a throw). */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel`; resolves to an unsubscribe
   * function. `onResumed` runs when listening resumes after the connection was
   * lost: notifications sent meanwhile are gone, so the listener should catch up.
   */
  listen(channel: string, onNotify: (payload: string) => void, onResumed?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
