import { PGlite } from '@electric-sql/pglite';
import type { SqlDatabase, SqlExecutor, SqlParam, SqlResult } from './sql-database';

/**
 * `SqlDatabase` on embedded PGlite (PostgreSQL compiled to WASM, in-process).
 * `dataDir` undefined means in memory; a folder path keeps the data on disk.
 * PGlite has one connection, so its transactions are naturally serialised.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly db: PGlite;

  constructor(dataDir?: string) {
    this.db = new PGlite(dataDir);
  }

  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<SqlResult<Row>> {
    const result = await this.db.query<Row>(sql, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (t) =>
      work({
        query: async <Row>(sql: string, params: readonly SqlParam[] = []) => {
          const r = await t.query<Row>(sql, params as unknown[]);
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
      }),
    );
  }

  /** In-process: listening is never lost, so an `onResumed` would never run and is not taken. */
  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const unsubscribe = await this.db.listen(channel, onNotify);
    return async () => unsubscribe();
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
