import type { SqlExecutor } from '@city/sql';

/** Where a relay remembers the global position up to which the broker has acknowledged its events. */
export interface CheckpointStore {
  /** The stored position, or 0n (start of the log) when there is none. */
  load(name: string): Promise<bigint>;
  /** Stores `position`; never moves a checkpoint backwards. */
  save(name: string, position: bigint): Promise<void>;
}

/** Checkpoints in PostgreSQL table `relay_checkpoints(name PK, position bigint)`. */
export class PostgresCheckpointStore implements CheckpointStore {
  constructor(private readonly db: SqlExecutor) {}

  async migrate(): Promise<void> {
    await this.db.query(`CREATE TABLE IF NOT EXISTS relay_checkpoints (
      name text PRIMARY KEY,
      position bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async load(name: string): Promise<bigint> {
    const { rows } = await this.db.query<{ position: string }>('SELECT position::text AS position FROM relay_checkpoints WHERE name = $1', [name]);
    return rows.length === 0 ? 0n : BigInt(rows[0].position);
  }

  async save(name: string, position: bigint): Promise<void> {
    // Monotonic: a slower second relay instance (which should not exist) cannot rewind it.
    await this.db.query(
      `INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
       WHERE relay_checkpoints.position < EXCLUDED.position`,
      [name, position.toString()],
    );
  }
}

/** Checkpoints in memory: for unit tests and throw-away embedded runs. */
export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, bigint>();

  async load(name: string): Promise<bigint> {
    return this.positions.get(name) ?? 0n;
  }

  async save(name: string, position: bigint): Promise<void> {
    if (position > (this.positions.get(name) ?? 0n)) this.positions.set(name, position);
  }
}
