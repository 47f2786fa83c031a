import { randomUUID } from 'node:crypto';
import { ValidationError } from '@city/eventsourcing';
import { arrayFromJsonParam, type SqlExecutor } from '@city/sql';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The store's tables and its append function inside one PostgreSQL schema,
 * and the SQL text that uses them.
 *
 * A whole group-commit batch is ONE statement, `append_batch(...)`, run in
 * autocommit: a single round trip and a single commit. The function runs
 * (PL/pgSQL, so the server caches its plans per connection like prepared
 * statements, on `pg` and PGlite alike):
 *
 *  1. `pg_advisory_xact_lock` — serialises appends; held until commit.
 *  2. reads the head of the log and the versions of the batch's streams. A
 *     volatile function takes a new snapshot per statement (READ COMMITTED), so
 *     this read sees every commit made before the lock was granted.
 *  3. walks the calls in queue order, checking each expected version against
 *     the stream as the earlier calls of the batch left it; a refused call is
 *     reported and left out, the others get positions head+1, head+2, ...
 *  4. one multi-row INSERT (unnest), one upsert of stream versions, pg_notify.
 *
 * Event ids: the fast path (`p_check_ids = false`) lets the unique index on
 * event_id catch reuse; the caller then re-sends the batch with
 * `p_check_ids = true`, which looks ids up first: re-appending exactly the
 * recorded ids, in order, consecutively in the same stream is an idempotent
 * success with the original result; any other reuse is a 'duplicate' for that
 * call only. A call refused for its version is also checked this way, since it
 * may be the retry of an append that committed.
 *
 * Result: one row per call, in call order: r_outcome 'appended' | 'idempotent'
 * (r_version / r_position of its last event), 'conflict' (r_version = actual
 * stream version) or 'duplicate' (r_duplicates = the recorded ids), and
 * r_now_ms, the commit time stamped on the events (ms since the epoch).
 */
export class EventStoreSchema {
  readonly events: string;
  readonly streams: string;
  /** One row: the id this log got when it was created (see `EventStore.identity`). */
  readonly identity: string;
  /** NOTIFY channel that appends signal on (payload: the new head position). */
  readonly channel: string;
  /** Key of the transaction-scoped advisory lock that serialises appends. */
  readonly lockKey: string;

  constructor(readonly name: string) {
    if (!IDENTIFIER.test(name)) throw new ValidationError(`Invalid schema name ${JSON.stringify(name)}`, { schema: ['must be a lower-case SQL identifier'] });
    this.events = `"${name}".events`;
    this.streams = `"${name}".streams`;
    this.identity = `"${name}".store_identity`;
    this.channel = `${name}_appended`;
    this.lockKey = advisoryLockKey(`city.event-store:${name}`);
  }

  /**
   * Creates the schema and tables if they are missing and (re)creates the append
   * function. Safe to run from several processes at once: the DDL runs under the
   * store's advisory lock.
   */
  async migrate(tx: SqlExecutor): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.lockKey]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS "${this.name}"`);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS ${this.events} (
        global_position bigint      PRIMARY KEY,
        stream_id       text        NOT NULL,
        stream_version  bigint      NOT NULL,
        event_id        uuid        NOT NULL UNIQUE,
        type            text        NOT NULL,
        schema_version  integer     NOT NULL CHECK (schema_version >= 1),
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (stream_id, stream_version)
      )`);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS ${this.streams} (
        stream_id text   PRIMARY KEY,
        version   bigint NOT NULL
      )`);
    // Created once with the log; a log dropped and created again gets a new id (an existing log, its first at this migration).
    await tx.query(`
      CREATE TABLE IF NOT EXISTS ${this.identity} (
        singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
        store_id   uuid        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await tx.query(`INSERT INTO ${this.identity} (store_id) VALUES ($1) ON CONFLICT DO NOTHING`, [randomUUID()]);
    await tx.query(this.appendBatchFunction());
  }

  /**
   * $1..$10 as `append_batch` takes them (see the class comment), but for data and metadata: each
   * a JSON array of the events' documents ($8, $9), split here. As `jsonb[]` parameters, node-postgres
   * escaped every quote of every document into an array literal, a tenth of a busy service's time.
   */
  get appendBatchSql(): string {
    return `SELECT r_outcome AS outcome, r_version::text AS version, r_position::text AS position,
                   r_now_ms::text AS now_ms, r_duplicates AS duplicates
              FROM "${this.name}".append_batch($1::text[], $2::text[], $3::bigint[], $4::integer[],
                   $5::uuid[], $6::text[], $7::integer[], ${arrayFromJsonParam('$8', 'jsonb')}, ${arrayFromJsonParam('$9', 'jsonb')}, $10::boolean)`;
  }

  /**
   * Columns of a recorded event (of table alias `t`), bigints as text so no
   * driver rounds them. The text aliases shadow the columns in ORDER BY, so
   * always order by the alias-qualified column (`ORDER BY e.global_position`).
   */
  eventColumns(t = ''): string {
    const c = t ? `${t}.` : '';
    return `${c}global_position::text AS global_position, ${c}stream_id, ${c}stream_version::text AS stream_version,
            ${c}event_id::text AS event_id, ${c}type, ${c}schema_version, ${c}data, ${c}metadata, ${c}recorded_at`;
  }

  private appendBatchFunction(): string {
    return `
      CREATE OR REPLACE FUNCTION "${this.name}".append_batch(
        p_streams text[],            -- per call: stream id
        p_expected text[],           -- per call: 'any' | 'no_stream' | 'stream_exists' | 'exact'
        p_expected_versions bigint[],-- per call: the version when 'exact'
        p_counts integer[],          -- per call: number of events (its events follow each other below)
        p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data jsonb[], p_metadata jsonb[],
        p_check_ids boolean)
      RETURNS TABLE (r_outcome text, r_version bigint, r_position bigint, r_now_ms bigint, r_duplicates text[])
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_now_ms   constant bigint := floor(extract(epoch FROM now()) * 1000)::bigint;
        v_head     bigint;
        v_versions jsonb;                 -- stream id -> version, as the batch has left it so far
        v_changed  jsonb := '{}'::jsonb;  -- streams this batch writes -> new version
        v_known    jsonb := '{}'::jsonb;  -- event id -> [stream id, version, position] of recorded ids
        v_first    integer := 1;          -- index of the current call's first event
        v_count    integer;
        v_actual   bigint;
        v_ok       boolean;
        v_ref      jsonb;
        v_found    integer;
        v_retry    boolean;
        v_prev     bigint;
        v_last_pos bigint;
        v_dups     text[];
        v_take     integer[] := '{}';     -- which events to insert ...
        v_pos      bigint[] := '{}';      -- ... at which positions,
        v_ver      bigint[] := '{}';      -- ... stream versions
        v_sid      text[] := '{}';        -- ... and streams
        v_base     bigint[];              -- the fast path: per call, its stream's version before the batch
      BEGIN
        r_now_ms := v_now_ms;
        PERFORM pg_advisory_xact_lock(${this.lockKey});
        SELECT coalesce(max(global_position), 0) INTO v_head FROM ${this.events};

        -- The usual batch: every call on a stream of its own and every expected version right.
        -- Then no call depends on another, and the batch is written set-based: the walk below
        -- grows a jsonb map per call, quadratic in the batch (1,000 calls took 0.4 s).
        IF NOT p_check_ids THEN
          SELECT array_agg(coalesce(st.version, -1) ORDER BY c.i),
                 coalesce(bool_and(CASE c.ex
                                     WHEN 'any' THEN true
                                     WHEN 'no_stream' THEN st.version IS NULL
                                     WHEN 'stream_exists' THEN st.version IS NOT NULL
                                     ELSE coalesce(st.version, -1) = c.ev
                                   END), false)
                   AND count(DISTINCT c.s) = count(*)
            INTO v_base, v_ok
            FROM unnest(p_streams, p_expected, p_expected_versions) WITH ORDINALITY AS c(s, ex, ev, i)
            LEFT JOIN ${this.streams} st ON st.stream_id = c.s;
          IF v_ok THEN
            INSERT INTO ${this.events} (global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at)
            SELECT v_head + c.before + j, c.s, v_base[c.i] + j, p_event_ids[c.before + j], p_types[c.before + j],
                   p_schema_versions[c.before + j], p_data[c.before + j], p_metadata[c.before + j],
                   timestamptz 'epoch' + v_now_ms * interval '1 millisecond'
              FROM (SELECT u.s, u.i, u.n, sum(u.n) OVER (ORDER BY u.i) - u.n AS before
                      FROM unnest(p_streams, p_counts) WITH ORDINALITY AS u(s, n, i)) c,
                   generate_series(1, c.n) AS j;
            INSERT INTO ${this.streams} (stream_id, version)
            SELECT u.s, v_base[u.i] + u.n FROM unnest(p_streams, p_counts) WITH ORDINALITY AS u(s, n, i)
            ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version;
            v_count := (SELECT sum(n) FROM unnest(p_counts) AS n);
            PERFORM pg_notify('${this.channel}', (v_head + v_count)::text);
            RETURN QUERY
              SELECT 'appended'::text, v_base[u.i] + u.n, v_head + sum(u.n) OVER (ORDER BY u.i), v_now_ms, NULL::text[]
                FROM unnest(p_counts) WITH ORDINALITY AS u(n, i)
               ORDER BY u.i;
            RETURN;
          END IF;
        END IF;

        SELECT coalesce(jsonb_object_agg(stream_id, version), '{}'::jsonb) INTO v_versions
          FROM ${this.streams} WHERE stream_id = ANY(p_streams);
        IF p_check_ids THEN
          SELECT coalesce(jsonb_object_agg(event_id::text, jsonb_build_array(stream_id, stream_version, global_position)), '{}'::jsonb)
            INTO v_known FROM ${this.events} WHERE event_id = ANY(p_event_ids);
        END IF;

        FOR i IN 1 .. coalesce(cardinality(p_streams), 0) LOOP
          v_count  := p_counts[i];
          v_actual := coalesce((v_versions ->> p_streams[i])::bigint, -1);
          v_ok := CASE p_expected[i]
                    WHEN 'any' THEN true
                    WHEN 'no_stream' THEN v_actual = -1
                    WHEN 'stream_exists' THEN v_actual <> -1
                    ELSE v_actual = p_expected_versions[i]
                  END;
          IF NOT v_ok AND NOT p_check_ids THEN
            -- Refused: it may be the retry of an append that already committed.
            -- Its ids may be recorded already, or earlier in this very batch.
            SELECT v_known || coalesce(jsonb_object_agg(event_id::text, jsonb_build_array(stream_id, stream_version, global_position)), '{}'::jsonb)
              INTO v_known FROM ${this.events} WHERE event_id = ANY(p_event_ids[v_first : v_first + v_count - 1]);
            SELECT v_known || coalesce(jsonb_object_agg(p_event_ids[u.k]::text, jsonb_build_array(u.s, u.v, u.p)), '{}'::jsonb)
              INTO v_known FROM unnest(v_take, v_sid, v_ver, v_pos) AS u(k, s, v, p)
             WHERE p_event_ids[u.k] = ANY(p_event_ids[v_first : v_first + v_count - 1]);
          END IF;

          IF p_check_ids OR NOT v_ok THEN
            v_found := 0; v_retry := true; v_dups := '{}'; v_prev := NULL;
            FOR j IN v_first .. v_first + v_count - 1 LOOP
              v_ref := v_known -> (p_event_ids[j]::text);
              IF v_ref IS NULL THEN
                v_retry := false;
              ELSE
                v_found := v_found + 1;
                v_dups := v_dups || p_event_ids[j]::text;
                IF (v_ref ->> 0) <> p_streams[i] OR (v_prev IS NOT NULL AND (v_ref ->> 1)::bigint <> v_prev + 1) OR (v_prev IS NULL AND j > v_first) THEN
                  v_retry := false;
                END IF;
                v_prev := (v_ref ->> 1)::bigint;
                v_last_pos := (v_ref ->> 2)::bigint;
              END IF;
            END LOOP;
            IF v_found > 0 THEN
              IF v_retry THEN
                r_outcome := 'idempotent'; r_version := v_prev; r_position := v_last_pos; r_duplicates := NULL;
              ELSE
                r_outcome := 'duplicate'; r_version := NULL; r_position := NULL; r_duplicates := v_dups;
              END IF;
              RETURN NEXT;
              v_first := v_first + v_count;
              CONTINUE;
            END IF;
          END IF;

          IF NOT v_ok THEN
            r_outcome := 'conflict'; r_version := v_actual; r_position := NULL; r_duplicates := NULL;
            RETURN NEXT;
            v_first := v_first + v_count;
            CONTINUE;
          END IF;

          FOR j IN v_first .. v_first + v_count - 1 LOOP
            v_head := v_head + 1;
            v_actual := v_actual + 1;
            v_take := v_take || j;
            v_pos := v_pos || v_head;
            v_ver := v_ver || v_actual;
            v_sid := v_sid || p_streams[i];
            IF p_check_ids THEN
              v_known := v_known || jsonb_build_object(p_event_ids[j]::text, jsonb_build_array(p_streams[i], v_actual, v_head));
            END IF;
          END LOOP;
          v_versions := v_versions || jsonb_build_object(p_streams[i], v_actual);
          v_changed := v_changed || jsonb_build_object(p_streams[i], v_actual);
          r_outcome := 'appended'; r_version := v_actual; r_position := v_head; r_duplicates := NULL;
          RETURN NEXT;
          v_first := v_first + v_count;
        END LOOP;

        IF cardinality(v_take) > 0 THEN
          INSERT INTO ${this.events} (global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at)
          SELECT u.p, u.s, u.v, p_event_ids[u.k], p_types[u.k], p_schema_versions[u.k], p_data[u.k], p_metadata[u.k],
                 timestamptz 'epoch' + v_now_ms * interval '1 millisecond'
            FROM unnest(v_pos, v_sid, v_ver, v_take) AS u(p, s, v, k);
          INSERT INTO ${this.streams} (stream_id, version)
          SELECT key, value::bigint FROM jsonb_each_text(v_changed)
          ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version;
          PERFORM pg_notify('${this.channel}', v_head::text);
        END IF;
      END
      $fn$`;
  }
}

/** A stable signed 64-bit key for pg_advisory_xact_lock (FNV-1a 64). */
export function advisoryLockKey(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, hash).toString();
}
