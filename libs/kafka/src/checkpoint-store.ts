import type { SqlExecutor } from '@city/sql';

/**
 * Whose checkpoint: a relay's name and the store whose log it reads
 * (`EventStore.identity()`). A position means something only in the log it was
 * read from: after switching stores, or rebuilding one, the relay starts that
 * store's log from its beginning instead of skipping what lies below another
 * log's position.
 */
export interface CheckpointKey {
  readonly relay: string;
  readonly store: string;
}

/** Where a relay remembers the global position up to which the broker has acknowledged its events. */
export interface CheckpointStore {
  /** The stored position, or 0n (start of the log) when there is none. */
  load(key: CheckpointKey): Promise<bigint>;
  /** Stores `position`; never moves a checkpoint backwards. */
  save(key: CheckpointKey, position: bigint): Promise<void>;
  /**
   * A checkpoint stored before checkpoints were kept per store (by relay name
   * only), handed to `key.store` if it can be its: not beyond `head`, the
   * store's last position, and only when the store has none of its own. Once
   * claimed it is gone: another store starts from its beginning. Resolves the
   * claimed position, or undefined.
   */
  claimUnkeyed?(key: CheckpointKey, head: bigint): Promise<bigint | undefined>;
  /** Forgets a checkpoint that cannot be the store's (beyond its head: the store restored from an older backup). */
  forget(key: CheckpointKey): Promise<void>;
}

/**
 * Checkpoints in PostgreSQL table `relay_checkpoints(name, store, position)`,
 * one per relay and store. Rows of the table as it was before (by name only)
 * are kept with store '' until a relay claims them (`claimUnkeyed`).
 */
export class PostgresCheckpointStore implements CheckpointStore {
  constructor(private readonly db: SqlExecutor) {}

  /** Creates the table, or adds the store to the key of an older one (its rows get store ''). Safe to run concurrently. */
  async migrate(): Promise<void> {
    await this.db.query(`DO $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('city.relay_checkpoints'));
        CREATE TABLE IF NOT EXISTS relay_checkpoints (
          name text NOT NULL,
          store text NOT NULL,
          position bigint NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (name, store)
        );
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = 'relay_checkpoints' AND column_name = 'store') THEN
          ALTER TABLE relay_checkpoints ADD COLUMN store text NOT NULL DEFAULT '';
          ALTER TABLE relay_checkpoints ALTER COLUMN store DROP DEFAULT;
          ALTER TABLE relay_checkpoints DROP CONSTRAINT relay_checkpoints_pkey;
          ALTER TABLE relay_checkpoints ADD PRIMARY KEY (name, store);
        END IF;
      END $$`);
  }

  async load(key: CheckpointKey): Promise<bigint> {
    const { rows } = await this.db.query<{ position: string }>('SELECT position::text AS position FROM relay_checkpoints WHERE name = $1 AND store = $2', [
      key.relay,
      storeOf(key),
    ]);
    return rows.length === 0 ? 0n : BigInt(rows[0].position);
  }

  async save(key: CheckpointKey, position: bigint): Promise<void> {
    // Monotonic: a slower second relay instance (which should not exist) cannot rewind it.
    await this.db.query(
      `INSERT INTO relay_checkpoints (name, store, position) VALUES ($1, $2, $3)
       ON CONFLICT (name, store) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
       WHERE relay_checkpoints.position < EXCLUDED.position`,
      [key.relay, storeOf(key), position.toString()],
    );
  }

  async forget(key: CheckpointKey): Promise<void> {
    await this.db.query('DELETE FROM relay_checkpoints WHERE name = $1 AND store = $2', [key.relay, storeOf(key)]);
  }

  async claimUnkeyed(key: CheckpointKey, head: bigint): Promise<bigint | undefined> {
    const { rows } = await this.db.query<{ position: string }>(
      `UPDATE relay_checkpoints c SET store = $2, updated_at = now()
        WHERE c.name = $1 AND c.store = '' AND c.position <= $3
          AND NOT EXISTS (SELECT 1 FROM relay_checkpoints k WHERE k.name = $1 AND k.store = $2)
        RETURNING c.position::text AS position`,
      [key.relay, storeOf(key), head.toString()],
    );
    return rows.length === 0 ? undefined : BigInt(rows[0].position);
  }
}

/** Checkpoints in memory: for unit tests and throw-away embedded runs. */
export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, bigint>();

  async load(key: CheckpointKey): Promise<bigint> {
    return this.positions.get(mapKey(key)) ?? 0n;
  }

  async save(key: CheckpointKey, position: bigint): Promise<void> {
    if (position > (this.positions.get(mapKey(key)) ?? 0n)) this.positions.set(mapKey(key), position);
  }

  async forget(key: CheckpointKey): Promise<void> {
    this.positions.delete(mapKey(key));
  }
}

/** '' is the unkeyed rows' store: no store's identity may take it. */
function storeOf(key: CheckpointKey): string {
  if (!key.store) throw new Error(`Relay ${key.relay}: a checkpoint needs the store's identity`);
  return key.store;
}

function mapKey(key: CheckpointKey): string {
  return `${key.relay}\u0000${storeOf(key)}`;
}
