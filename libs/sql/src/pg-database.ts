import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { SqlDatabase, SqlExecutor, SqlParam, SqlResult } from './sql-database';

// BIGINT (int8) columns come back as strings by default; callers convert with BigInt().

/** `SqlDatabase` on a node-postgres pool. */
export class PgDatabase implements SqlDatabase {
  readonly pool: Pool;
  private listener?: PoolClient;
  private readonly channels = new Map<string, Set<(payload: string) => void>>();

  constructor(config: PoolConfig | string) {
    this.pool = new Pool(typeof config === 'string' ? { connectionString: config } : config);
    // An idle client that loses its connection must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<SqlResult<Row>> {
    const result = await this.pool.query(sql, params as unknown[]);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx: SqlExecutor = {
        query: async <Row>(sql: string, params: readonly SqlParam[] = []) => {
          const r = await client.query(sql, params as unknown[]);
          return { rows: r.rows as Row[], rowCount: r.rowCount ?? 0 };
        },
      };
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    if (!this.listener) {
      this.listener = await this.pool.connect();
      this.listener.on('notification', (msg) => this.channels.get(msg.channel)?.forEach((fn) => fn(msg.payload ?? '')));
    }
    let handlers = this.channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.channels.set(channel, handlers);
      await this.listener.query(`LISTEN ${quoteIdent(channel)}`);
    }
    handlers.add(onNotify);
    return async () => {
      handlers?.delete(onNotify);
    };
  }

  async close(): Promise<void> {
    this.listener?.release();
    this.listener = undefined;
    await this.pool.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
