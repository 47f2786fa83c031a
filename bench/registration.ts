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
 * the service process's user+system CPU over the loop, divided by the registrations accepted.
 * Prints one JSON line per mode.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { issueToken, type Actor } from '@city/auth';
import { createKafka } from '@city/kafka';
import { createTestDatabase, TEST_KAFKA_BROKERS, uniqueName } from '@city/testing';

const SECONDS = Number(process.env.REG_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.REG_CONCURRENCY ?? 64);
const BATCHES = (process.env.REG_BATCH ?? '1,20').split(',').map((b) => Math.min(100, Math.max(1, Math.floor(Number(b)))));
const SECRET = 'bench-registration-secret-0123456789abcdef';
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

type ChildMessage = { port: number } | { cpuMicros: number; relayPosition: string; head: string };

async function child(): Promise<void> {
  const { startTravellerHealthStack, ephemeralPrivacyKeys } = await import('@city/traveller-health-service');
  const stack = await startTravellerHealthStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: String(process.env.BENCH_DATABASE_URL),
    kafkaBrokers: TEST_KAFKA_BROKERS,
    jwtSecret: SECRET,
    logLevel: 'warn',
    topic: String(process.env.BENCH_TOPIC),
    handleSignals: false,
    privacy: ephemeralPrivacyKeys(),
  });
  const send = (m: ChildMessage) => process.send?.(m);
  send({ port: (stack.app.getHttpServer().address() as AddressInfo).port });
  process.on('message', (m: string) => {
    if (m === 'stop') {
      void stack.stop().then(() => process.exit(0));
      return;
    }
    void stack.store.headPosition().then((head) => {
      const cpu = process.cpuUsage();
      send({ cpuMicros: cpu.user + cpu.system, relayPosition: String(stack.relay.position), head: String(head) });
    });
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

function post(agent: Agent, port: number, path: string, token: string, body: object): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

async function runMode(perRequest: number): Promise<void> {
  const db = await createTestDatabase('bench_registration');
  const topic = uniqueName('traveller-health.events.v1.bench');
  const service = fork(__filename, [], {
    env: { ...process.env, BENCH_ROLE: 'service', BENCH_DATABASE_URL: db.url, BENCH_TOPIC: topic },
    execArgv: ['-r', '@swc-node/register'],
  });
  const messages: ChildMessage[] = [];
  const waiters: ((m: ChildMessage) => void)[] = [];
  service.on('message', (m: ChildMessage) => (waiters.length > 0 ? waiters.shift()?.(m) : messages.push(m)));
  const next = () => new Promise<ChildMessage>((resolve) => (messages.length > 0 ? resolve(messages.shift() as ChildMessage) : waiters.push(resolve)));
  const status = async () => {
    service.send('status');
    return (await next()) as { cpuMicros: number; relayPosition: string; head: string };
  };
  try {
    const { port } = (await next()) as { port: number };
    const department: Actor = { sub: 'bench-kiosk', role: 'department', department: 'traveller-health' };
    const token = issueToken(department, SECRET);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const checkpoint = await post(agent, port, '/checkpoints', token, {
      checkpointId: 'hongqiao-railway',
      name: 'Hongqiao Railway Station',
      kind: 'railway',
      districtCode: '310112',
    });
    if (checkpoint !== 201) throw new Error(`checkpoint: ${checkpoint}`);
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    // Warm-up: the service's code paths, the pool, the relay.
    for (let i = 0; i < 50; i++) await post(agent, port, '/registrations', token, registration(day));

    const latencies: number[] = [];
    let accepted = 0;
    let errors = 0;
    const before = await status();
    const start = performance.now();
    const end = start + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          const statusCode =
            perRequest === 1
              ? await post(agent, port, '/registrations', token, registration(day))
              : await post(agent, port, '/registration-batches', token, { registrations: Array.from({ length: perRequest }, () => registration(day)) });
          latencies.push(performance.now() - t0);
          if (statusCode === 201 || statusCode === 200) accepted += perRequest;
          else errors++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const after = await status();
    const caughtUpFrom = performance.now();
    for (;;) {
      const s = await status();
      if (BigInt(s.relayPosition) >= BigInt(s.head)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const relayCatchUpMs = Math.round(performance.now() - caughtUpFrom);
    latencies.sort((a, b) => a - b);
    agent.destroy();
    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'registration',
        perRequest,
        concurrency: CONCURRENCY,
        seconds: Math.round(elapsed * 10) / 10,
        registrations: accepted,
        registrationsPerSecond: Math.round(accepted / elapsed),
        requestsPerSecond: Math.round(latencies.length / elapsed),
        p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
        p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
        serviceCpuMsPerRegistration: Math.round(((after.cpuMicros - before.cpuMicros) / 1000 / Math.max(1, accepted)) * 1000) / 1000,
        serviceCpuPercent: Math.round((after.cpuMicros - before.cpuMicros) / 1e4 / elapsed),
        relayCatchUpMs,
        errors,
      })}\n`,
    );
  } finally {
    service.send('stop');
    await new Promise((r) => service.once('exit', r));
    const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: uniqueName('bench-registration') }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await db.drop();
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_ROLE === 'service') return child();
  for (const perRequest of BATCHES) await runMode(perRequest);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
