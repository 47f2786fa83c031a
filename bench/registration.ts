/**
 * Benchmark: traveller registrations over HTTP into the traveller-health service, in stack mode
 * (PostgreSQL event store, the relay publishing to the real Kafka broker), the service alone in
 * a child process so that its CPU is its own.
 *
 *   node -r @swc-node/register bench/registration.ts
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a database of its own is
 * created there and dropped), KAFKA_BROKERS (default 127.0.0.1:9092), REG_SECONDS (per mode,
 * default 15), REG_CONCURRENCY (requests in flight, default 64), REG_BATCH (registrations per
 * request, a comma-separated list run one after the other, default `1,20`: 1 is a phone's
 * POST /registrations, above 1 a kiosk's POST /registration-batches).
 *
 * Closed loop: REG_CONCURRENCY clients send requests back to back for REG_SECONDS, each
 * registration a new traveller (a valid resident ID, personal data sealed in the vault, a key
 * person one time in twenty). Latency is per request. After the loop the relay is waited for
 * until Kafka has acknowledged every stored event (`relayCatchUpMs`). CPU per registration is
 * the service process's user+system CPU (all its threads) over the loop, divided by the registrations
 * accepted; the idle service's CPU, measured for 3 s before the loop, is reported apart, and the
 * CPU per registration above it. The load generator's own CPU per registration is reported too (`loadGeneratorCpuMsPerRegistration`):
 * it shares the two cores with the service, PostgreSQL and Kafka.
 * A phone registers without a token (no account); a kiosk sends the department's.
 * The service runs with the V8 flags of its deployment (`DEPLOYED_V8_FLAGS`);
 * BENCH_CHILD_NODE_FLAGS: extra node flags of the service process (e.g. `--cpu-prof`);
 * REG_RELAY_PRODUCER_THREADS: the relay's producer threads (default the kit's, 2; 0 keeps the producer in the service's thread).
 * Prints one JSON line per mode.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { issueToken, type Actor } from '@city/auth';
import { createTestDatabase, TEST_KAFKA_BROKERS, uniqueName } from '@city/testing';
import { httpClient, percentile } from './support/http';
import { childNodeFlags, required, runBenchmark, serveChild, ServiceProcess, sleep } from './support/service-process';
import { deleteTopics } from './support/topics';

const SECONDS = Number(process.env.REG_SECONDS ?? 15);
const IDLE_SECONDS = 3;
const CONCURRENCY = Number(process.env.REG_CONCURRENCY ?? 64);
const BATCHES = (process.env.REG_BATCH ?? '1,20').split(',').map((b) => Math.min(100, Math.max(1, Math.floor(Number(b)))));
const SECRET = 'bench-registration-secret-0123456789abcdef';
/** The V8 flags deploy/k8s/traveller-health gives the service (its NODE_OPTIONS), but for the heap limit. */
const DEPLOYED_V8_FLAGS = ['--max-semi-space-size=32'];
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

async function serviceChild(): Promise<void> {
  const { startTravellerHealthStack, ephemeralPrivacyKeys } = await import('@city/traveller-health-service');
  const stack = await startTravellerHealthStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: required('BENCH_DATABASE_URL'),
    kafkaBrokers: TEST_KAFKA_BROKERS,
    jwtSecret: SECRET,
    logLevel: 'warn',
    topic: required('BENCH_TOPIC'),
    handleSignals: false,
    privacy: ephemeralPrivacyKeys(),
    ...(process.env.REG_RELAY_PRODUCER_THREADS === undefined ? {} : { relayProducerThreads: Number(process.env.REG_RELAY_PRODUCER_THREADS) }),
  });
  serveChild({
    url: `http://127.0.0.1:${(stack.app.getHttpServer().address() as AddressInfo).port}`,
    info: async () => ({ relayPosition: String(stack.relay.position), head: String(await stack.store.headPosition()) }),
    stop: () => stack.stop(),
  });
}

/** A valid resident ID (ISO 7064 MOD 11-2 check character, a past date of birth); serials 1,000 apart share one. */
function residentId(serial: number): string {
  const body = `310105${1950 + (serial % 50)}0${1 + (serial % 9)}1${serial % 10}${String(Math.floor(serial / 10) % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * WEIGHTS[i];
  return body + '10X98765432'[sum % 11];
}

let serial = 0;
function registration(day: string): object {
  const n = serial++;
  return {
    registrationId: randomUUID(),
    checkpointId: 'hongqiao-railway',
    // Half resident IDs (checked), half other documents (each a new traveller).
    identity: { name: '王伟', documentKind: n % 2 === 0 ? 'resident-id' : 'other', documentNumber: n % 2 === 0 ? residentId(n) : `BENCH${n}` },
    phone: `139${String(n % 100_000_000).padStart(8, '0')}`,
    origin: { provinceCode: '320000', cityCode: '320100' },
    trip: { mode: 'train', number: 'G7001', date: day },
    destination: { districtCode: '310105', subdistrictCode: '310105002', committeeCode: '310105002003', address: `Lane ${n % 1000}, Room 201` },
    declaration: { temperatureC: 36.6, symptoms: [], contactWithCases: false, keyAreaStays: n % 20 === 0 ? ['420100'] : [] },
  };
}

async function runMode(perRequest: number): Promise<void> {
  const db = await createTestDatabase('bench_registration');
  await db.db.close(); // the service opens its own pool
  const topic = uniqueName('traveller-health.events.v1.bench');
  const service = new ServiceProcess(__filename, 'traveller-health', { BENCH_DATABASE_URL: db.url, BENCH_TOPIC: topic }, [
    ...DEPLOYED_V8_FLAGS,
    ...childNodeFlags(),
  ]);
  const http = httpClient(CONCURRENCY);
  try {
    const { url } = await service.ready();
    const department: Actor = { sub: 'bench-kiosk', role: 'department', department: 'traveller-health' };
    const token = issueToken(department, SECRET);
    const checkpoint = await http.call('POST', `${url}/checkpoints`, token, {
      checkpointId: 'hongqiao-railway',
      name: 'Hongqiao Railway Station',
      kind: 'railway',
      districtCode: '310112',
    });
    if (checkpoint.status !== 201) throw new Error(`checkpoint: ${checkpoint.status} ${checkpoint.body}`);
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    // A phone has no account and sends no token; a kiosk sends the department's.
    const send = () =>
      perRequest === 1
        ? http.call('POST', `${url}/registrations`, undefined, registration(day))
        : http.call('POST', `${url}/registration-batches`, token, { registrations: Array.from({ length: perRequest }, () => registration(day)) });
    // Warm-up: the service's code paths, the pool, the relay.
    for (let i = 0; i < 50; i++) await send();
    // What the service spends doing nothing (relay, producer threads, scheduler, subscriptions): apart, so that the CPU of the registrations can be told from it.
    await sleep(1000);
    const idleFrom = await service.status();
    await sleep(IDLE_SECONDS * 1000);
    const idleCpuMsPerSecond = ((await service.status()).cpuMs - idleFrom.cpuMs) / IDLE_SECONDS;

    const latencies: number[] = [];
    let accepted = 0;
    let errors = 0;
    const before = await service.status();
    const generatorFrom = process.cpuUsage();
    const start = performance.now();
    const end = start + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          const { status } = await send();
          latencies.push(performance.now() - t0);
          if (status === 201 || status === 200) accepted += perRequest;
          else errors++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const generator = process.cpuUsage(generatorFrom);
    const after = await service.status();
    const caughtUpFrom = performance.now();
    for (;;) {
      const { info } = await service.status();
      if (BigInt(info.relayPosition) >= BigInt(info.head)) break;
      await sleep(50);
    }
    const relayCatchUpMs = Math.round(performance.now() - caughtUpFrom);
    const cpuMs = after.cpuMs - before.cpuMs;
    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'registration',
        perRequest,
        concurrency: CONCURRENCY,
        seconds: Math.round(elapsed * 10) / 10,
        registrations: accepted,
        registrationsPerSecond: Math.round(accepted / elapsed),
        requestsPerSecond: Math.round(latencies.length / elapsed),
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        serviceCpuMsPerRegistration: Math.round((cpuMs / Math.max(1, accepted)) * 1000) / 1000,
        // The same without what the idle service spends in as much time.
        serviceCpuMsPerRegistrationAboveIdle: Math.round((Math.max(0, cpuMs - idleCpuMsPerSecond * elapsed) / Math.max(1, accepted)) * 1000) / 1000,
        serviceCpuPercent: Math.round(cpuMs / 10 / elapsed),
        // The load generator runs on the same two cores: what it takes is not the service's to use.
        loadGeneratorCpuMsPerRegistration: Math.round(((generator.user + generator.system) / 1000 / Math.max(1, accepted)) * 1000) / 1000,
        serviceIdleCpuPercent: Math.round(idleCpuMsPerSecond / 10),
        relayCatchUpMs,
        errors,
        // The machine's load while it ran: the figures above are relative to it.
        loadAverage: Math.round(loadavg()[0] * 10) / 10,
      })}\n`,
    );
  } finally {
    http.destroy();
    await service.stop();
    await deleteTopics([topic]);
    await db.drop();
  }
}

async function main(): Promise<void> {
  for (const perRequest of BATCHES) await runMode(perRequest);
}

runBenchmark(main, { 'traveller-health': serviceChild });
