/**
 * Benchmark: one canvass visit from the field official's HTTP command to the
 * operations-center API, in stack mode, through real PostgreSQL and Kafka.
 *
 *   node -r @swc-node/register bench/end-to-end.ts
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; two databases of
 * its own are created there and dropped), KAFKA_BROKERS (default 127.0.0.1:9092),
 * E2E_RATE (commands/s, default 1000), E2E_SECONDS (default 20), E2E_WARMUP_SECONDS
 * (default 2), E2E_UNITS_PER_SUBDISTRICT (default 200), E2E_POLL_MS (default 50),
 * E2E_CONNECTIONS (keep-alive sockets to canvass, default 64), E2E_LOG_LEVEL (services,
 * default warn), E2E_COALESCE_MS (operations center's live-update window, default 150),
 * E2E_CHILD_NODE_FLAGS (extra node flags of the service processes, e.g. --cpu-prof),
 * E2E_BATCH (visits per request, a comma-separated list run one after the other with
 * fresh databases, topic and services, one JSON line each; default `1,5`. 1: each
 * visit its own POST /units/{id}/visits. Above 1: one official's consecutive visits
 * go together to POST /visit-batches, as a phone syncing what it recorded offline
 * does; each visit's latency still counts from its own due time, so the wait for
 * its batch to fill is included), E2E_HTTP_ADAPTER (the HTTP adapter of both services,
 * `fastify` or `express`, or a comma-separated list run in turn for each E2E_BATCH, e.g.
 * `express,fastify,express,fastify`, so that a machine whose speed drifts during the run
 * weighs on both alike; default the kit's, `fastify`), E2E_HTTP_CLIENT (the load generator's client:
 * `socket`, default, requests written straight onto keep-alive sockets, or `node`, node:http's
 * client; the services see the same requests either way).
 *
 * Layout: the canvass service and the operations center run as two child
 * processes of this script (as in stack mode, where they are separate
 * deployables), so the load generator, the command side and the query side
 * each get their own event loop on this 2-core machine; in one process they
 * would queue behind each other and the latency would mostly measure that.
 *
 * A city slice (2 districts x 5 subdistricts x 200 units, each unit assigned to
 * its subdistrict's official) is registered over HTTP first. Then visits are
 * sent open-loop at a steady rate, each to a distinct (unit, day), over
 * keep-alive connections. Every 50 ms the city overview is read; the latency of
 * the k-th accepted command (in send order) is the first time the API showed
 * at least k visits minus the time command k was due to be sent (the schedule,
 * so a lagging sender cannot hide queueing). The same attribution on counters
 * sampled inside the services splits that time into stages: HTTP answer
 * (appended), relay acknowledged by Kafka, projection committed, and visible on
 * the API (or pushed over SSE). Prints one JSON line on stdout.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { issueToken, type Actor } from '@city/auth';
import { startCanvassStack } from '@city/canvass-service';
import { CityMetrics, shutdownGracefully } from '@city/observability';
import { canvassReadModel, startOperationsCenterStack } from '@city/operations-center-service';
import { DEFAULT_HTTP_ADAPTER, HTTP_ADAPTERS, type HttpAdapterName } from '@city/service-kit';
import { createTestDatabase, SseClient, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import { httpClient, percentile } from './support/http';
import { childNodeFlags, now, required, runBenchmark, serveChild, ServiceProcess, sleep, type Samples } from './support/service-process';
import { socketHttpClient } from './support/socket-http';
import { deleteTopics } from './support/topics';

const RATE = Number(process.env.E2E_RATE ?? 1000);
const SECONDS = Number(process.env.E2E_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.E2E_WARMUP_SECONDS ?? 2);
const UNITS_PER_SUBDISTRICT = Number(process.env.E2E_UNITS_PER_SUBDISTRICT ?? 200);
const POLL_MS = Number(process.env.E2E_POLL_MS ?? 50);
const CONNECTIONS = Number(process.env.E2E_CONNECTIONS ?? 64);
const LOG_LEVEL = process.env.E2E_LOG_LEVEL ?? 'warn';
const HTTP_CLIENT = process.env.E2E_HTTP_CLIENT ?? 'socket';
const COALESCE_MS = Number(process.env.E2E_COALESCE_MS ?? 150);
/** Extra node flags of the two service processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where their time goes. */
const CHILD_NODE_FLAGS = childNodeFlags('E2E_CHILD_NODE_FLAGS');
const BATCHES = (process.env.E2E_BATCH ?? '1,5').split(',').map((b) => Math.max(1, Math.floor(Number(b))));
const HTTP_ADAPTERS_OF_RUNS = (process.env.E2E_HTTP_ADAPTER ?? DEFAULT_HTTP_ADAPTER).split(',').map(httpAdapterOf);
const DISTRICTS = ['310105', '310107'];
const SUBDISTRICTS_PER_DISTRICT = 5;
const SECRET = `bench-end-to-end-${randomUUID()}`;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------- child processes

async function canvassChild(): Promise<void> {
  const topic = required('BENCH_TOPIC');
  const stack = await startCanvassStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: required('BENCH_STORE_URL'),
    kafkaBrokers: TEST_KAFKA_BROKERS,
    jwtSecret: required('BENCH_SECRET'),
    logLevel: LOG_LEVEL,
    topic,
    handleSignals: false,
    httpAdapter: httpAdapterOf(required('BENCH_HTTP_ADAPTER')),
    ...(process.env.E2E_RELAY_PRODUCER_THREADS === undefined ? {} : { relayProducerThreads: Number(process.env.E2E_RELAY_PRODUCER_THREADS) }),
  });
  serveChild({
    url: `http://127.0.0.1:${(stack.app.getHttpServer().address() as AddressInfo).port}`,
    // Events the broker acknowledged (the relay counts after the ack and the checkpoint).
    count: () => stack.relay.published.get(topic) ?? 0,
    stop: () => stack.stop(),
  });
}

async function operationsCenterChild(): Promise<void> {
  // As services/operations-center/src/main.ts, but on this run's own topic.
  const { app } = await startOperationsCenterStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: required('BENCH_READ_URL'),
    kafkaBrokers: TEST_KAFKA_BROKERS,
    groupId: required('BENCH_GROUP_ID'),
    contexts: [{ ...canvassReadModel(), topic: required('BENCH_TOPIC') }],
    jwtSecret: required('BENCH_SECRET'),
    logLevel: LOG_LEVEL,
    liveCoalesceMs: COALESCE_MS,
    handleSignals: false,
    swagger: false,
    httpAdapter: httpAdapterOf(required('BENCH_HTTP_ADAPTER')),
  });
  const metrics = app.get(CityMetrics, { strict: false });
  // Visits the projection has committed (the runner counts after its transaction).
  const projected = async () => {
    const { values } = await metrics.projectionEventsTotal.get();
    return values.filter((v) => v.labels.type === 'CanvassVisitRecorded').reduce((sum, v) => sum + v.value, 0);
  };
  serveChild({ url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, count: projected, stop: () => shutdownGracefully(app) });
}

function httpAdapterOf(name: string): HttpAdapterName {
  const found = HTTP_ADAPTERS.find((a) => a === name.trim());
  if (!found) throw new Error(`E2E_HTTP_ADAPTER: ${name} is not one of ${HTTP_ADAPTERS.join(', ')}`);
  return found;
}

// ---------------------------------------------------------------- HTTP client

// Straight onto sockets by default: this process shares the 2 cores with the services it measures
// (see socket-http.ts); `E2E_HTTP_CLIENT=node` measures with node:http's client, as before.
const http = HTTP_CLIENT === 'node' ? httpClient(CONNECTIONS) : socketHttpClient(CONNECTIONS);
const call = http.call;

async function expectStatus(promise: ReturnType<typeof call>, ok: readonly number[], what: string): Promise<void> {
  const answer = await promise;
  if (!ok.includes(answer.status)) throw new Error(`${what}: ${answer.status} ${answer.body}`);
}

/** Runs `work` over `items` with `concurrency` callers. */
async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

// ---------------------------------------------------------------- the city slice

interface Unit {
  readonly unitId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  /** The token of the subdistrict's official, who answers for the unit. */
  readonly officialToken: string;
}

async function registerCity(canvassUrl: string, runId: string): Promise<Unit[]> {
  const department = issueToken({ sub: 'bench-canvass-department', role: 'department', department: 'canvass' }, SECRET);
  const units: (Unit & { officialId: string })[] = [];
  const subdistricts: { districtCode: string; subdistrictCode: string }[] = [];
  for (const districtCode of DISTRICTS) {
    for (let s = 1; s <= SUBDISTRICTS_PER_DISTRICT; s++) {
      const subdistrictCode = `${districtCode}${String(s).padStart(3, '0')}`;
      subdistricts.push({ districtCode, subdistrictCode });
      const official: Actor = { sub: `bench-official-${subdistrictCode}`, role: 'field-official', district: districtCode, subdistrict: subdistrictCode };
      const officialToken = issueToken(official, SECRET);
      for (let u = 0; u < UNITS_PER_SUBDISTRICT; u++) {
        units.push({ unitId: `bench-${runId}-${subdistrictCode}-${u}`, districtCode, subdistrictCode, officialToken, officialId: official.sub });
      }
    }
  }
  for (const s of subdistricts) {
    await expectStatus(
      call('POST', `${canvassUrl}/subdistricts`, department, { ...s, name: `Subdistrict ${s.subdistrictCode}` }),
      [201],
      'register subdistrict',
    );
  }
  await inParallel(units, 32, async (unit) => {
    await expectStatus(
      call('POST', `${canvassUrl}/units`, department, {
        unitId: unit.unitId,
        kind: 'residential-building-group',
        name: `Compound ${unit.unitId}`,
        address: '1 Bench Road',
        districtCode: unit.districtCode,
        subdistrictCode: unit.subdistrictCode,
        size: { tenants: 0, shops: 4, households: 150 },
      }),
      [201],
      'register unit',
    );
    await expectStatus(call('PUT', `${canvassUrl}/units/${unit.unitId}/official`, department, { officialId: unit.officialId }), [200], 'assign official');
  });
  return units;
}

// ---------------------------------------------------------------- observing the operations center

interface CityOverviewBody {
  city: { canvass: { units: { active: number }; visits: { total: number } } };
}

/** Reads the city overview every POLL_MS (one request at a time) and records the visible visit count. */
class OverviewPoller {
  readonly samples: Samples = [];
  latest?: CityOverviewBody;
  private running = true;
  private readonly done: Promise<void>;

  constructor(opsUrl: string, token: string) {
    this.done = (async () => {
      while (this.running) {
        try {
          const answer = await call('GET', `${opsUrl}/api/city/overview`, token);
          const at = now();
          if (answer.status === 200) {
            this.latest = JSON.parse(answer.body) as CityOverviewBody;
            this.samples.push([at, this.latest.city.canvass.visits.total]);
          }
        } catch {
          // the next poll tries again
        }
        await sleep(POLL_MS);
      }
    })();
  }

  async until(accept: (o: CityOverviewBody) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.latest && accept(this.latest)) return true;
      await sleep(POLL_MS);
    }
    return false;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

/** The live stream a dashboard opens: records the city visit count of every `city-figures` push. */
class SseRecorder {
  readonly samples: Samples = [];
  private readonly client: SseClient;

  constructor(opsUrl: string, token: string) {
    this.client = new SseClient(`${opsUrl}/api/stream?access_token=${encodeURIComponent(token)}`, (message) => {
      if (message.event !== 'city-figures') return;
      this.samples.push([now(), (message.data as { figures: { canvass: { visits: { total: number } } } }).figures.canvass.visits.total]);
    });
  }

  async stop(): Promise<void> {
    await this.client.close();
  }
}

// ---------------------------------------------------------------- load and figures

interface Sent {
  /** When the schedule said to send it. */
  readonly due: number;
  answeredAt?: number;
  ok?: boolean;
}

/** Sends visits open-loop at RATE/s for `seconds`, starting at command number `first` (unit-days never repeat). */
async function sendVisits(
  units: readonly Unit[],
  first: number,
  seconds: number,
  canvassUrl: string,
  batch: number,
): Promise<{ sent: Sent[]; maxDispatchLagMs: number }> {
  const total = Math.round(RATE * seconds);
  const sent: Sent[] = [];
  const inFlight: Promise<void>[] = [];
  const batcher = new VisitBatcher(canvassUrl, batch, inFlight);
  let maxDispatchLagMs = 0;
  const start = now();
  while (sent.length < total) {
    const dueCount = Math.min(total, Math.floor(((now() - start) * RATE) / 1000) + 1);
    while (sent.length < dueCount) {
      const n = first + sent.length;
      const unit = units[n % units.length];
      const due = start + (sent.length * 1000) / RATE;
      const record: Sent = { due };
      sent.push(record);
      maxDispatchLagMs = Math.max(maxDispatchLagMs, now() - due);
      // Unit n mod U on day floor(n / U) back from today: every command is a distinct (unit, day).
      const visitedAt = new Date(Date.now() - Math.floor(n / units.length) * DAY_MS - 1000).toISOString();
      const body = {
        visitId: randomUUID(),
        visitedAt,
        findings: { tenantsOpened: 0, tenantsClosed: 0, householdsCanvassed: 1 + (n % 40), returnedFromOutside: n % 3, inHomeObservation: n % 2 },
      };
      if (batch > 1) {
        batcher.add(unit, body, record);
        continue;
      }
      inFlight.push(
        call('POST', `${canvassUrl}/units/${unit.unitId}/visits`, unit.officialToken, body).then(
          (answer) => {
            record.answeredAt = now();
            record.ok = answer.status === 201;
            if (!record.ok && process.env.E2E_VERBOSE) process.stderr.write(`visit: ${answer.status} ${answer.body}\n`);
          },
          () => {
            record.answeredAt = now();
            record.ok = false;
          },
        ),
      );
    }
    await sleep(1);
  }
  batcher.flush();
  await Promise.all(inFlight);
  return { sent, maxDispatchLagMs };
}

/** Collects one official's consecutive visits and sends them, `batch` at a time, to POST /visit-batches. */
class VisitBatcher {
  private token?: string;
  private visits: { unitId: string; visitId: string }[] = [];
  private records: Sent[] = [];

  constructor(
    private readonly canvassUrl: string,
    private readonly batch: number,
    private readonly inFlight: Promise<void>[],
  ) {}

  add(unit: Unit, visit: { visitId: string }, record: Sent): void {
    if (this.token !== undefined && this.token !== unit.officialToken) this.flush();
    this.token = unit.officialToken;
    this.visits.push({ unitId: unit.unitId, ...visit });
    this.records.push(record);
    if (this.visits.length >= this.batch) this.flush();
  }

  flush(): void {
    if (this.token === undefined || this.records.length === 0) return;
    const records = this.records;
    const request = call('POST', `${this.canvassUrl}/visit-batches`, this.token, { visits: this.visits });
    this.visits = [];
    this.records = [];
    this.inFlight.push(
      request.then(
        (answer) => {
          const at = now();
          const statuses = answer.status === 200 ? (JSON.parse(answer.body) as { results: { status: number }[] }).results.map((r) => r.status) : [];
          records.forEach((record, i) => {
            record.answeredAt = at;
            record.ok = statuses[i] === 201;
          });
          if (answer.status !== 200 && process.env.E2E_VERBOSE) process.stderr.write(`visit batch: ${answer.status} ${answer.body}\n`);
        },
        () => {
          const at = now();
          for (const record of records) {
            record.answeredAt = at;
            record.ok = false;
          }
        },
      ),
    );
  }
}

/**
 * Latency of the k-th accepted command (send order) = first time a counter
 * reached baseline + k, minus its due time. Commands never reached are left out.
 */
function attribute(accepted: readonly Sent[], samples: Samples, baseline: number): number[] {
  const latencies: number[] = [];
  let j = 0;
  for (let k = 0; k < accepted.length; k++) {
    while (j < samples.length && samples[j][1] - baseline < k + 1) j++;
    if (j === samples.length) break;
    latencies.push(Math.max(0, samples[j][0] - accepted[k].due));
  }
  return latencies;
}

/** The counter's value just before `at` (the drained state between phases). */
function valueAt(samples: Samples, at: number): number {
  let value = 0;
  for (const [t, count] of samples) if (t <= at) value = count;
  return value;
}

const round = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  try {
    for (const batch of BATCHES) for (const httpAdapter of HTTP_ADAPTERS_OF_RUNS) await run(batch, httpAdapter);
  } finally {
    http.destroy();
  }
}

/** One measurement with its own databases, topic and service processes. */
async function run(batch: number, httpAdapter: HttpAdapterName): Promise<void> {
  const runId = randomUUID().slice(0, 8);
  const topic = uniqueName('canvass.events.v1.bench');
  const databases: TestDatabase[] = [];
  const services: ServiceProcess[] = [];
  const watchers: { stop(): Promise<void> }[] = [];
  try {
    const storeDb = await createTestDatabase('bench_e2e_store');
    databases.push(storeDb);
    const readDb = await createTestDatabase('bench_e2e_read');
    databases.push(readDb);
    await Promise.all([storeDb.db.close(), readDb.db.close()]); // the services open their own pools

    const canvass = new ServiceProcess(
      __filename,
      'canvass',
      { BENCH_STORE_URL: storeDb.url, BENCH_TOPIC: topic, BENCH_SECRET: SECRET, BENCH_HTTP_ADAPTER: httpAdapter },
      CHILD_NODE_FLAGS,
    );
    services.push(canvass);
    const ops = new ServiceProcess(
      __filename,
      'operations-center',
      {
        BENCH_READ_URL: readDb.url,
        BENCH_TOPIC: topic,
        BENCH_SECRET: SECRET,
        BENCH_GROUP_ID: uniqueName('bench-ops'),
        BENCH_HTTP_ADAPTER: httpAdapter,
      },
      CHILD_NODE_FLAGS,
    );
    services.push(ops);
    await Promise.all([canvass.ready(), ops.ready()]);

    const units = await registerCity(canvass.url, runId);
    const cityToken = issueToken({ sub: 'bench-city-center', role: 'city-center' }, SECRET);
    const poller = new OverviewPoller(ops.url, cityToken);
    watchers.push(poller);
    if (!(await poller.until((o) => o.city.canvass.units.active === units.length, 120_000)))
      throw new Error('the operations center never showed the registered units');

    // Warm-up (JIT, pools, connections), measured by nobody; then wait until the pipeline is drained.
    const warmup = await sendVisits(units, 0, WARMUP_SECONDS, canvass.url, batch);
    const warmupAccepted = warmup.sent.filter((s) => s.ok).length;
    if (!(await poller.until((o) => o.city.canvass.visits.total >= warmupAccepted, 60_000))) throw new Error('warm-up visits never showed');
    await sleep(500);

    const sse = new SseRecorder(ops.url, cityToken);
    watchers.push(sse);
    await sleep(200);
    const [canvassBefore, opsBefore] = await Promise.all([canvass.status(), ops.status()]);
    const loadCpuBefore = process.cpuUsage();
    const measureStart = now();
    const visibleBaseline = poller.latest?.city.canvass.visits.total ?? 0;

    const { sent, maxDispatchLagMs } = await sendVisits(units, warmup.sent.length, SECONDS, canvass.url, batch);
    const sendEnd = now();
    const accepted = sent.filter((s) => s.ok);
    const observed = await poller.until((o) => o.city.canvass.visits.total >= visibleBaseline + accepted.length, 120_000);
    const measureEnd = now();
    await sleep(2 * COALESCE_MS + 100); // the last live push
    const loadCpu = process.cpuUsage(loadCpuBefore);
    const [canvassAfter, opsAfter] = await Promise.all([canvass.status(), ops.status()]);
    await sse.stop();
    await poller.stop();

    const lastAnswer = Math.max(...sent.map((s) => s.answeredAt ?? 0));
    const visible = attribute(accepted, poller.samples, visibleBaseline);
    const pushed = attribute(accepted, sse.samples, visibleBaseline);
    const published = attribute(accepted, canvassAfter.samples, valueAt(canvassAfter.samples, measureStart));
    const projected = attribute(accepted, opsAfter.samples, valueAt(opsAfter.samples, measureStart));
    const answered = accepted.map((s) => (s.answeredAt ?? s.due) - s.due);
    const wallMs = measureEnd - measureStart;
    const cpuShare = (ms: number) => round((100 * ms) / wallMs);
    const perVisit = (ms: number) => (accepted.length === 0 ? null : Math.round((1000 * ms) / accepted.length) / 1000);
    const loadCpuMs = (loadCpu.user + loadCpu.system) / 1000;
    const canvassCpuMs = canvassAfter.cpuMs - canvassBefore.cpuMs;
    const opsCpuMs = opsAfter.cpuMs - opsBefore.cpuMs;

    const result = {
      bench: 'end-to-end',
      commands: sent.length,
      targetPerSec: RATE,
      visitsPerRequest: batch,
      httpAdapter,
      httpClient: HTTP_CLIENT,
      commandsPerSec: round((accepted.length * 1000) / (lastAnswer - measureStart)),
      p50Ms: percentile(visible, 50),
      p99Ms: percentile(visible, 99),
      errors: sent.length - accepted.length,
      unobserved: accepted.length - visible.length,
      observedAll: observed,
      maxMs: percentile(visible, 100),
      // Cumulative stages, each from the command's due time: HTTP answer (appended to the
      // event store), relay acknowledged by Kafka, projection committed, SSE city-figures push.
      stages: {
        answeredP50Ms: percentile(answered, 50),
        answeredP99Ms: percentile(answered, 99),
        publishedP50Ms: percentile(published, 50),
        publishedP99Ms: percentile(published, 99),
        projectedP50Ms: percentile(projected, 50),
        projectedP99Ms: percentile(projected, 99),
        ssePushP50Ms: percentile(pushed, 50),
        ssePushP99Ms: percentile(pushed, 99),
      },
      sendSeconds: round((sendEnd - measureStart) / 1000),
      maxDispatchLagMs: round(maxDispatchLagMs),
      // Share of one core used during the measured window (the machine has 2, shared with PostgreSQL and Kafka).
      cpuPercent: {
        loadGenerator: cpuShare(loadCpuMs),
        canvass: cpuShare(canvassCpuMs),
        operationsCenter: cpuShare(opsCpuMs),
      },
      // The same CPU per accepted visit (ms): what each process costs the 2 shared cores per visit.
      cpuMsPerVisit: { loadGenerator: perVisit(loadCpuMs), canvass: perVisit(canvassCpuMs), operationsCenter: perVisit(opsCpuMs) },
      loadAverage: loadavg().map((l) => round(l)),
      mode: 'stack, services as child processes',
      units: units.length,
      pollMs: POLL_MS,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const w of watchers) await w.stop().catch(() => undefined);
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    await deleteTopics([topic]);
    for (const d of databases) await d.drop().catch(() => undefined);
  }
}

runBenchmark(main, { canvass: canvassChild, 'operations-center': operationsCenterChild });
