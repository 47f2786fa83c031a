/**
 * Benchmark: time from process start to ready of the canvass service in stack
 * mode (PostgreSQL event store, Kafka at KAFKA_BROKERS), against the size of
 * its history.
 *
 *   node -r @swc-node/register bench/startup.ts
 *
 * For each size (STARTUP_SIZES, default `10000,1000000` stored canvass events)
 * it creates a database of its own on DATABASE_URL's server and writes the
 * events straight into the store's table in bulk: one unit registration and
 * one assignment per hundred events, the rest visits, data shaped as the
 * contract's samples. It brings the read model up to date once (and sets the
 * relay's checkpoint to the head), as a service that ran before would have
 * left them. Then, the sizes taking turns, it starts `services/canvass/src/main.ts`
 * as a new process STARTUP_RUNS times per size (default 3) and measures from spawn to the first 200 of
 * /health/ready (`readyMs`), and to the first answer of a read-your-writes
 * query, GET /officials/me/units, 100 units at every size (`firstQueryMs`). Prints one JSON line: the median
 * of each per size, and every run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { devTokens } from '@city/auth';
import { CANVASS_EVENT_SAMPLES, canvassStreams } from '@city/contracts';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PostgresCheckpointStore } from '@city/kafka';
import { CANVASS_SERVICE_NAME, CanvassReadModel } from '@city/canvass-service';
import { createTestDatabase, TEST_KAFKA_BROKERS, type TestDatabase } from '@city/testing';

const SIZES = (process.env.STARTUP_SIZES ?? '10000,1000000').split(',').map(Number);
const RUNS = Number(process.env.STARTUP_RUNS ?? 3);
const SECRET = 'startup-bench-secret-startup-bench-secret';
/** Rows per INSERT … SELECT generate_series statement. */
const FILL_CHUNK = 200_000;
const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const prepared: { events: number; database: TestDatabase; fillMs: number; firstCatchUpMs: number; runs: { readyMs: number; firstQueryMs: number }[] }[] = [];
  try {
    for (const events of SIZES) {
      const database = await createTestDatabase('bench_startup');
      const size = { events, database, fillMs: 0, firstCatchUpMs: 0, runs: [] as { readyMs: number; firstQueryMs: number }[] };
      prepared.push(size);
      const fillStarted = Date.now();
      await fill(database, events);
      size.fillMs = Date.now() - fillStarted;
      const catchUpStarted = Date.now();
      await bringUpToDate(database);
      size.firstCatchUpMs = Date.now() - catchUpStarted;
    }
    // Sizes take turns, so a machine busy with other work slows each alike.
    for (let i = 0; i < RUNS; i++) for (const size of prepared) size.runs.push(await measureStart(size.database.url));
  } finally {
    for (const { database } of prepared) await database.drop();
  }
  const sizes = prepared.map(({ events, runs, fillMs, firstCatchUpMs }) => ({
    events,
    readyMs: median(runs.map((r) => r.readyMs)),
    firstQueryMs: median(runs.map((r) => r.firstQueryMs)),
    runs,
    fillMs,
    firstCatchUpMs,
  }));
  process.stdout.write(`${JSON.stringify({ benchmark: 'startup', runsPerSize: RUNS, sizes })}\n`);
}

/** `events` canvass events, written straight into the store's tables. */
async function fill(database: TestDatabase, events: number): Promise<void> {
  const store = new PostgresEventStore(database.db);
  await store.migrate();
  const units = Math.max(1, Math.floor(events / 100));
  const unit = CANVASS_EVENT_SAMPLES.UnitRegistered.data;
  const assigned = CANVASS_EVENT_SAMPLES.ResponsibleOfficialAssigned.data;
  const visit = CANVASS_EVENT_SAMPLES.CanvassVisitRecorded.data;
  // Unit i: position i registers it, position units+i assigns it, then visits round-robin. The dev token's official
  // answers for the first 100 units at every size, so the query measured returns the same answer whatever the history.
  const unitIndex = `(CASE WHEN p <= 2 * $1 THEN ((p - 1) % $1) ELSE ((p - 2 * $1 - 1) % $1) END)`;
  const unitId = `md5('unit' || ${unitIndex})::uuid::text`;
  const sameArea = `'districtCode', $4::jsonb ->> 'districtCode', 'subdistrictCode', $4::jsonb ->> 'subdistrictCode'`;
  const official = `(CASE WHEN ${unitIndex} < 100 THEN 'dev-field-official' ELSE 'official-' || (${unitIndex} % 500) END)`;
  for (let from = 1; from <= events; from += FILL_CHUNK) {
    const to = Math.min(events, from + FILL_CHUNK - 1);
    await database.db.query(
      `INSERT INTO event_store.events (global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at)
       SELECT p,
              '${canvassStreams.unit('')}' || ${unitId},
              CASE WHEN p <= $1 THEN 0 WHEN p <= 2 * $1 THEN 1 ELSE 2 + (p - 2 * $1 - 1) / $1 END,
              md5('event' || p)::uuid,
              CASE WHEN p <= $1 THEN 'UnitRegistered' WHEN p <= 2 * $1 THEN 'ResponsibleOfficialAssigned' ELSE 'CanvassVisitRecorded' END,
              1,
              CASE
                WHEN p <= $1 THEN $4::jsonb || jsonb_build_object('unitId', ${unitId}, 'name', 'Unit ' || ${unitIndex})
                WHEN p <= 2 * $1 THEN $5::jsonb || jsonb_build_object('unitId', ${unitId}, 'officialId', ${official}, ${sameArea})
                ELSE $6::jsonb || jsonb_build_object('unitId', ${unitId}, 'officialId', ${official}, 'recordedBy', ${official}, 'standingIn', false,
                       'kind', $4::jsonb ->> 'kind', ${sameArea}, 'visitId', md5('visit' || p)::uuid::text,
                       'visitedAt', to_char(timestamptz '2026-03-01 00:00:00+08' + make_interval(secs => p), 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'))
              END,
              jsonb_build_object('correlationId', md5('corr' || p)::uuid::text, 'causationId', md5('cmd' || p)::uuid::text,
                                 'district', $4::jsonb ->> 'districtCode', 'actorId', ${official}, 'actorRole', 'field-official'),
              now()
         FROM generate_series($2::bigint, $3::bigint) AS p`,
      [units, from, to, JSON.stringify(unit), JSON.stringify(assigned), JSON.stringify(visit)],
    );
  }
  await database.db.query(
    `INSERT INTO event_store.streams (stream_id, version) SELECT stream_id, max(stream_version) FROM event_store.events GROUP BY stream_id
     ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version`,
  );
  await database.db.query('ANALYZE event_store.events');
}

/** As a service that ran before leaves it: the read model and the relay at the head. */
async function bringUpToDate(database: TestDatabase): Promise<void> {
  const store = new PostgresEventStore(database.db);
  const readModel = new CanvassReadModel({ store, db: database.db });
  await readModel.catchUp();
  await readModel.stop();
  const checkpoints = new PostgresCheckpointStore(database.db);
  await checkpoints.migrate();
  await checkpoints.save({ relay: CANVASS_SERVICE_NAME, store: await store.identity() }, await store.headPosition());
}

async function measureStart(databaseUrl: string): Promise<{ readyMs: number; firstQueryMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/canvass/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
      JWT_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await until(child, async () => (await fetch(`${base}/health/ready`)).status === 200);
    const readyMs = performance.now() - started;
    const token = devTokens(SECRET).fieldOfficial;
    await until(child, async () => (await fetch(`${base}/officials/me/units`, { headers: { authorization: `Bearer ${token}` } })).status === 200);
    const firstQueryMs = performance.now() - started;
    return { readyMs: Math.round(readyMs), firstQueryMs: Math.round(firstQueryMs) };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
}

/** Polls every 10 ms until `probe` holds; fails if the process exits first. */
async function until(child: ChildProcess, probe: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`canvass exited with ${child.exitCode} before it was ready`);
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

main().catch((error: unknown) => {
  process.stderr.write(`startup benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
