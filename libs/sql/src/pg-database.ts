import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { backoffDelay } from '@city/eventsourcing';
import type { SqlDatabase, SqlExecutor, SqlParam, SqlResult } from './sql-database';

// BIGINT (int8) columns come back as strings by default; callers convert with BigInt().

/** `SqlDatabase` on a node-postgres pool. */
export class PgDatabase implements SqlDatabase {
  readonly pool: Pool;
  /** The one connection that LISTENs for every channel, once connected. */
  private listener?: Promise<PoolClient>;
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectAttempts = 0;
  /** Called when listening resumes after a lost connection (see `listen`). */
  private readonly resumeHandlers = new Set<() => void>();
  /** True from losing the listening connection until the next one LISTENs. */
  private missedNotifications = false;
  private closed = false;

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
    let broken = false;
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
      // A connection that cannot even roll back is broken: it must not go back to the pool.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * LISTENs on one dedicated connection. If that connection is lost, it reconnects
   * with backoff and LISTENs again to every channel, so live updates resume by
   * themselves; notifications sent while it was away are lost (NOTIFY does not
   * queue them), so listeners must treat a notification as a hint, not a record,
   * and catch up in `onResumed`, called once listening again.
   */
  async listen(channel: string, onNotify: (payload: string) => void, onResumed?: () => void): Promise<() => Promise<void>> {
    let handlers = this.channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.channels.set(channel, handlers);
      if (this.listener) await (await this.listener).query(`LISTEN ${quoteIdent(channel)}`);
    }
    handlers.add(onNotify);
    if (onResumed) this.resumeHandlers.add(onResumed);
    await this.listenerConnection();
    return async () => {
      handlers?.delete(onNotify);
      if (onResumed) this.resumeHandlers.delete(onResumed);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = undefined;
    const client = await listener?.catch(() => undefined);
    client?.release();
    await this.pool.end();
  }

  private listenerConnection(): Promise<PoolClient> {
    this.listener ??= this.connectListener().catch((error: unknown) => {
      this.listener = undefined;
      throw error;
    });
    return this.listener;
  }

  private async connectListener(): Promise<PoolClient> {
    const client = await this.pool.connect();
    client.on('notification', (msg) => this.channels.get(msg.channel)?.forEach((fn) => fn(msg.payload ?? '')));
    let lost = false;
    const onLost = () => {
      if (lost || this.closed) return; // at close() the connection is released and ended on purpose
      lost = true;
      this.missedNotifications = true;
      client.release(true);
      this.listener = undefined;
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', onLost);
    try {
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      lost = true;
      client.release(true);
      throw error;
    }
    this.reconnectAttempts = 0;
    if (this.missedNotifications) {
      this.missedNotifications = false;
      // After this connection is the listener (the caller sets it when this resolves).
      setImmediate(() => this.resumeHandlers.forEach((fn) => fn()));
    }
    return client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = backoffDelay(this.reconnectAttempts++, 100, 10_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed) return;
      this.listenerConnection().catch(() => this.scheduleReconnect());
    }, delay);
    this.reconnectTimer.unref();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
