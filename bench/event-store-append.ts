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
 * says so on stderr). Every event is checked against its contract first, as in
 * the services (`withContractValidation`; BENCH_CONTRACTS=off appends without it,
 * to compare); `contractCheckUs` is that check alone, per event. Prints one JSON
 * line on stdout.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CANVASS_EVENT_SAMPLES } from '@city/contracts';
import { assertValidEventData, withContractValidation } from '@city/event-schemas';
import type { EventStore, NewEvent } from '@city/eventsourcing';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgDatabase } from '@city/sql';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOTAL_EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const WARMUP_EVENTS = 2_000;
const CONTRACTS = process.env.BENCH_CONTRACTS !== 'off';

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

const VISIT = CANVASS_EVENT_SAMPLES.CanvassVisitRecorded.data;

function event(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CanvassVisitRecorded',
    schemaVersion: 1,
    data: { ...VISIT, visitId: randomUUID(), unitId: `unit-${i}` },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actorId: 'bench', district: '310105' },
  };
}

/** Runs `total` appends from `concurrency` callers; returns per-call latencies in ms. */
async function appendConcurrently(store: EventStore, label: string, total: number, concurrency: number): Promise<number[]> {
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

/** Microseconds per event of the contract check alone (compiled validator, cached per type and version). */
function contractCheckMicros(events: number): number {
  const batch = Array.from({ length: 1000 }, (_, i) => event(i));
  for (const e of batch) assertValidEventData(e.type, e.schemaVersion, e.data);
  const started = process.hrtime.bigint();
  for (let i = 0; i < events; i++) {
    const e = batch[i % batch.length];
    assertValidEventData(e.type, e.schemaVersion, e.data);
  }
  return Number(process.hrtime.bigint() - started) / 1e3 / events;
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

    const postgres = new PostgresEventStore(db);
    await postgres.migrate();
    const store = CONTRACTS ? withContractValidation(postgres) : postgres;
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
        contracts: CONTRACTS,
        eventsPerSec: Math.round(TOTAL_EVENTS / seconds),
        p50Ms: round(percentile(latencies, 50), 2),
        p99Ms: round(percentile(latencies, 99), 2),
        contractCheckUs: round(contractCheckMicros(TOTAL_EVENTS), 2),
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
