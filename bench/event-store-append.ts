/**
 * Benchmark: appends through the PostgreSQL event store with group commit.
 *
 *   node -r @swc-node/register bench/event-store-append.ts
 *
 * 64 concurrent callers each append one event per call to a stream of their own
 * (expected version checked on every call), 20,000 events in total, against the
 * server at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). It
 * creates and drops a database of its own. synchronous_commit stays ON, so
 * every acknowledged append is durable (the run refuses to start otherwise, and
 * says so on stderr). Prints one JSON line on stdout.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { NewEvent } from '@city/eventsourcing';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgDatabase } from '@city/sql';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOTAL_EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const WARMUP_EVENTS = 2_000;

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function event(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CanvassVisitRecorded',
    schemaVersion: 1,
    data: { unitId: `unit-${i}`, district: '310105', visitedAt: '2026-03-01T08:00:00.000Z', residents: 3, symptomatic: 0 },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actorId: 'bench', district: '310105' },
  };
}

/** Runs `total` appends from `concurrency` callers; returns per-call latencies in ms. */
async function appendConcurrently(store: PostgresEventStore, label: string, total: number, concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      const stream = `bench-${label}.caller-${caller}`;
      let version = -1;
      while (next < total) {
        const i = next++;
        const started = process.hrtime.bigint();
        const result = await store.appendToStream(stream, [event(i)], version === -1 ? 'no_stream' : version);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        version = result.nextExpectedVersion;
      }
    }),
  );
  return latencies;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const name = `bench_event_store_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const db = new PgDatabase(url.toString());
  try {
    const { rows } = await db.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    const synchronousCommit = rows[0].synchronous_commit;
    if (synchronousCommit !== 'on') throw new Error(`synchronous_commit is ${synchronousCommit}; this benchmark measures durable commits only`);

    const store = new PostgresEventStore(db);
    await store.migrate();
    await appendConcurrently(store, 'warmup', WARMUP_EVENTS, CONCURRENCY);

    const started = process.hrtime.bigint();
    const latencies = await appendConcurrently(store, 'run', TOTAL_EVENTS, CONCURRENCY);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await store.close();

    const stored = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM event_store.events WHERE stream_id LIKE 'bench-run.%'`);
    if (Number(stored.rows[0].n) !== TOTAL_EVENTS) throw new Error(`expected ${TOTAL_EVENTS} stored events, found ${stored.rows[0].n}`);

    latencies.sort((a, b) => a - b);
    const round = (x: number, digits: number) => Number(x.toFixed(digits));
    console.log(
      JSON.stringify({
        bench: 'event-store-append',
        events: TOTAL_EVENTS,
        concurrency: CONCURRENCY,
        eventsPerSec: Math.round(TOTAL_EVENTS / seconds),
        p50Ms: round(percentile(latencies, 50), 2),
        p99Ms: round(percentile(latencies, 99), 2),
      }),
    );
    console.error(`event-store-append: synchronous_commit=${synchronousCommit} (SHOW), every acknowledged append is durable`);
  } finally {
    await db.close().catch(() => undefined);
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
