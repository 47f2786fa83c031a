/**
 * Benchmark: enterprise reopening from the HTTP command to the operations-center
 * figure, in stack mode, through real PostgreSQL and Kafka.
 *
 *   node -r @swc-node/register bench/reopening.ts      (or `npm run bench -- reopening`)
 *
 * Env: DATABASE_URL, KAFKA_BROKERS (as the tests), REOPENING_RATE (commands/s,
 * default 500), REOPENING_SECONDS (default 10), REOPENING_CONNECTIONS (keep-alive
 * sockets, default 64).
 *
 * Setup: RATE x SECONDS enterprises over the 16 districts, half of them already
 * reopened, written straight to the event store (their events flow through the
 * relay and Kafka like any other; the run waits until the operations center has
 * them all). Run: commands at a steady, open-loop rate over HTTP, alternating a
 * reopening declaration (checked item by item against the guideline) of a
 * not-yet-declared enterprise and the day's workforce report of a reopened one.
 * Every 50 ms the city overview is read; the k-th accepted command (in send
 * order) is visible when declarations plus today's reports reach k, and its
 * latency is that time minus when it was due to be sent (so a lagging sender
 * cannot hide queueing). Prints one JSON line: rate achieved, HTTP p50/p99,
 * command-to-figure p50/p99, the share of a core each service used and its CPU
 * milliseconds per command, and the statements enterprise-reopening sent PostgreSQL per command.
 *
 * Layout: enterprise-reopening and the operations center run as two child processes of
 * this script (bench/support/service-process.ts), as in stack mode, where they are separate
 * deployables: the load generator, the command side and the query side each have their own
 * event loop, and the latency does not measure them queueing behind each other.
 * BENCH_CHILD_NODE_FLAGS: extra node flags of the service processes (e.g. `--cpu-prof`).
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { issueToken, type Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import { DISTRICT_CODES, enterpriseReopeningStreams, INITIAL_GUIDELINES, type EnterpriseFacts, type EnterpriseReopeningEvent } from '@city/contracts';
import { startEnterpriseReopeningStack } from '@city/enterprise-reopening-service';
import { OPERATIONS_CONTEXTS, startOperationsCenterStack } from '@city/operations-center-service';
import { createTestDatabase, TEST_KAFKA_BROKERS, uniqueName, type TestDatabase } from '@city/testing';
import { socketHttpClient } from './support/socket-http';
import { required, runBenchmark, serveChild, ServiceProcess, sleep } from './support/service-process';
import { deleteTopics } from './support/topics';

const RATE = Number(process.env.REOPENING_RATE ?? 500);
const SECONDS = Number(process.env.REOPENING_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.REOPENING_CONNECTIONS ?? 64);
const POLL_MS = 50;
const SECRET = 'bench-reopening-secret-0123456789abcdef-0123';
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const INDUSTRY = 'software-it-services';
const MEASURES = (INITIAL_GUIDELINES.find((g) => g.industryCode === INDUSTRY)?.measures ?? []).map((m) => m.code);

function creditCode(district: string, n: number): string {
  let organisation = '';
  for (let v = n, i = 0; i < 9; i++, v = Math.floor(v / 31)) organisation = ALPHABET[v % 31] + organisation;
  const body = `91${district}${organisation}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(body[i]) * WEIGHTS[i];
  return `${body}${ALPHABET[(31 - (sum % 31)) % 31]}`;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

interface Firm {
  readonly creditCode: string;
  readonly district: string;
  readonly reopened: boolean;
}

/** RATE x SECONDS enterprises over the 16 districts, every second one already reopened; the same in every process. */
function firmsOf(total: number): Firm[] {
  return Array.from({ length: total }, (_, i) => {
    const district = DISTRICT_CODES[i % DISTRICT_CODES.length];
    return { creditCode: creditCode(district, i), district, reopened: i % 2 === 1 };
  });
}

/** The enterprise-reopening service, its enterprises written straight to its store before it reports ready. */
async function enterpriseReopeningChild(): Promise<void> {
  // Every statement the service sends PostgreSQL (pool queries and those of transactions alike), counted for the result line.
  let pgStatements = 0;
  const query = PgClient.prototype.query as (...args: unknown[]) => unknown;
  PgClient.prototype.query = function (this: PgClient, ...args: unknown[]) {
    pgStatements++;
    return query.apply(this, args);
  } as typeof PgClient.prototype.query;
  const stack = await startEnterpriseReopeningStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: required('BENCH_STORE_URL'),
    kafkaBrokers: TEST_KAFKA_BROKERS,
    jwtSecret: SECRET,
    logLevel: 'warn',
    topic: required('BENCH_TOPIC'),
    handleSignals: false,
    // The run is over when it stops: a shutdown step that hangs should not hold the next run for the kit's 25 s.
    shutdownTimeoutMs: 5_000,
    ...(process.env.REOPENING_RELAY_PRODUCER_THREADS === undefined ? {} : { relayProducerThreads: Number(process.env.REOPENING_RELAY_PRODUCER_THREADS) }),
  });
  const { store } = stack;
  const firms = firmsOf(Number(required('BENCH_FIRMS')));
  const now = required('BENCH_NOW');
  const today = cityDayOf(now);
  const metadata = { correlationId: 'bench-setup', causationId: 'bench-setup' };
  for (let i = 0; i < firms.length; i += 50) {
    await Promise.all(
      firms.slice(i, i + 50).map((f) => {
        const facts = (reopeningStatus: EnterpriseFacts['reopeningStatus']): EnterpriseFacts => ({
          creditCode: f.creditCode,
          size: 'small',
          industryCode: INDUSTRY,
          districtCode: f.district,
          subdistrictCode: `${f.district}001`,
          usualHeadcount: 50,
          reopeningStatus,
        });
        const events: EnterpriseReopeningEvent[] = [
          { type: 'EnterpriseRegistered', data: { ...facts('not-declared'), name: `Bench ${f.creditCode}`, registeredBy: 'bench', registeredAt: now } },
        ];
        if (f.reopened) {
          const declarationId = `setup-${f.creditCode}`;
          events.push(
            {
              type: 'ReopeningDeclared',
              data: {
                ...facts('declared'),
                declarationId,
                plannedReopeningDate: today,
                guidelineVersion: 1,
                confirmedMeasures: MEASURES,
                workforcePlan: { onSite: 30, rotating: 10, remote: 10 },
                returneesInObservation: 0,
                declaredBy: f.creditCode,
                declaredAt: now,
              },
            },
            {
              type: 'InspectionRecorded',
              data: {
                ...facts('inspection-passed'),
                inspectionId: `setup-${f.creditCode}`,
                declarationId,
                outcome: 'passed',
                round: 1,
                rectificationItems: [],
                inspectedBy: 'bench',
                inspectedAt: now,
              },
            },
            {
              type: 'EnterpriseReopened',
              data: { ...facts('reopened'), declarationId, reopenedOn: today, guidelineVersion: 1, reportedBy: f.creditCode, reportedAt: now },
            },
          );
        }
        return store.appendToStream(
          enterpriseReopeningStreams.enterprise(f.creditCode),
          events.map((e) => ({ eventId: randomUUID(), type: e.type, schemaVersion: 1, data: e.data, metadata: { ...metadata, district: f.district } })),
          'no_stream',
        );
      }),
    );
  }
  serveChild({
    url: `http://127.0.0.1:${(stack.app.getHttpServer().address() as AddressInfo).port}`,
    stop: () => stack.stop(),
    info: async () => ({ pgStatements: String(pgStatements) }),
  });
}

async function operationsCenterChild(): Promise<void> {
  const context = OPERATIONS_CONTEXTS.find((c) => c.key === 'enterpriseReopening');
  if (!context) throw new Error('no enterprise-reopening context');
  const operations = await startOperationsCenterStack({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: required('BENCH_READ_URL'),
    kafkaBrokers: TEST_KAFKA_BROKERS,
    groupId: required('BENCH_GROUP_ID'),
    contexts: [{ ...context.readModel(), topic: required('BENCH_TOPIC') }],
    jwtSecret: SECRET,
    logLevel: 'warn',
    handleSignals: false,
    swagger: false,
  });
  serveChild({ url: operations.url, stop: () => operations.stop() });
}

async function main(): Promise<void> {
  const topic = uniqueName('enterprise-reopening.events.v1.bench');
  const databases: TestDatabase[] = [];
  const services: ServiceProcess[] = [];
  // Requests written straight onto keep-alive sockets (see socket-http.ts): the load generator shares the 2 cores.
  const http = socketHttpClient(CONNECTIONS);
  try {
    const storeDb = await createTestDatabase('bench_er_store');
    databases.push(storeDb);
    const readDb = await createTestDatabase('bench_er_read');
    databases.push(readDb);
    await Promise.all([storeDb.db.close(), readDb.db.close()]); // the services open their own pools
    await run(topic, storeDb.url, readDb.url, services, http);
  } finally {
    http.destroy();
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    await deleteTopics([topic]);
    for (const d of databases) await d.drop().catch(() => undefined);
  }
}

async function run(topic: string, storeUrl: string, readUrl: string, services: ServiceProcess[], http: ReturnType<typeof socketHttpClient>): Promise<void> {
  const total = RATE * SECONDS;
  const now = new Date().toISOString();
  const today = cityDayOf(now);
  const firms = firmsOf(total);
  const department = new ServiceProcess(__filename, 'enterprise-reopening', {
    BENCH_STORE_URL: storeUrl,
    BENCH_TOPIC: topic,
    BENCH_FIRMS: String(total),
    BENCH_NOW: now,
  });
  services.push(department);
  const operations = new ServiceProcess(__filename, 'operations-center', {
    BENCH_READ_URL: readUrl,
    BENCH_TOPIC: topic,
    BENCH_GROUP_ID: uniqueName('bench-er-ops'),
  });
  services.push(operations);
  await Promise.all([department.ready(), operations.ready()]);
  const cityToken = issueToken({ sub: 'bench-city', role: 'city-center' }, SECRET);
  const overview = async () => {
    const answer = await http.call('GET', `${operations.url}/api/city/overview`, cityToken);
    if (answer.status !== 200) throw new Error(`overview: ${answer.status} ${answer.body}`);
    const body = JSON.parse(answer.body) as {
      city: { enterpriseReopening: { registered: number; declarations: { total: number }; workforce: { reportsToday: number } } };
    };
    return body.city.enterpriseReopening;
  };

  // ---- setup: the enterprises the service wrote straight into its store, projected ----
  const deadline = Date.now() + 300_000;
  let base = await overview();
  while (base.registered < total) {
    if (Date.now() > deadline) throw new Error(`setup not projected: ${base.registered} of ${total}`);
    await sleep(200);
    base = await overview();
  }
  const baseCount = base.declarations.total + base.workforce.reportsToday;

  // ---- run: declarations and daily reports at a steady rate ----
  const post = async (path: string, token: string, body: object): Promise<number> => (await http.call('POST', `${department.url}${path}`, token, body)).status;
  const declarers = firms.filter((f) => !f.reopened);
  const reporters = firms.filter((f) => f.reopened);
  const due: number[] = [];
  const httpMs: number[] = [];
  const accepted: number[] = []; // due times of accepted commands, in send order
  let failed = 0;
  let visibleCount = 0;
  const visibleAt: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const f = await overview().catch(() => undefined); // the next poll tries again
      const seen = f ? f.declarations.total + f.workforce.reportsToday - baseCount : 0;
      const t = performance.now();
      while (visibleCount < seen) visibleAt[visibleCount++] = t;
      await sleep(POLL_MS);
    }
  })();
  const [departmentBefore, operationsBefore] = await Promise.all([department.status(), operations.status()]);
  const generatorBefore = process.cpuUsage();
  const start = performance.now();
  const sends: Promise<void>[] = [];
  for (let k = 0; k < total; k++) {
    const dueAt = start + (k * 1000) / RATE;
    const wait = dueAt - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    due[k] = dueAt;
    const firm = k % 2 === 0 ? declarers[k >> 1] : reporters[k >> 1];
    const token = issueToken({ sub: firm.creditCode, role: 'enterprise' } satisfies Actor, SECRET);
    const send =
      k % 2 === 0
        ? post(`/enterprises/${firm.creditCode}/declarations`, token, {
            declarationId: randomUUID(),
            plannedReopeningDate: today,
            checklist: MEASURES.map((measureCode) => ({ measureCode, inPlace: true })),
            workforcePlan: { onSite: 30, rotating: 10, remote: 10 },
            returneesInObservation: 1,
          })
        : post(`/enterprises/${firm.creditCode}/daily-reports`, token, { reportDate: today, onSiteHeadcount: 35, capacityPercent: 70 });
    sends.push(
      send.then(
        (status) => {
          httpMs.push(performance.now() - dueAt);
          if (status < 300) accepted.push(dueAt);
          else failed++;
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(sends);
  const sentIn = (performance.now() - start) / 1000;
  accepted.sort((a, b) => a - b);
  const endDeadline = performance.now() + 120_000;
  while (visibleCount < accepted.length && performance.now() < endDeadline) await sleep(POLL_MS);
  const wallMs = performance.now() - start;
  const [departmentAfter, operationsAfter] = await Promise.all([department.status(), operations.status()]);
  const generator = process.cpuUsage(generatorBefore);
  polling = false;
  await poller;
  const cpuShare = (before: { cpuMs: number }, after: { cpuMs: number }) => Math.round((100 * (after.cpuMs - before.cpuMs)) / wallMs);
  const perCommand = (before: { cpuMs: number }, after: { cpuMs: number }) => Math.round((100 * (after.cpuMs - before.cpuMs)) / total) / 100;
  const e2e = accepted
    .slice(0, visibleCount)
    .map((d, k) => visibleAt[k] - d)
    .sort((a, b) => a - b);
  httpMs.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'reopening',
      targetRate: RATE,
      commands: total,
      accepted: accepted.length,
      failed,
      achievedRate: Math.round(total / sentIn),
      httpP50Ms: percentile(httpMs, 50),
      httpP99Ms: percentile(httpMs, 99),
      toFigureP50Ms: percentile(e2e, 50),
      toFigureP99Ms: percentile(e2e, 99),
      visible: visibleCount,
      // Share of one core each service used from the first command to the last one visible (the machine has 2, shared).
      cpuPercent: { enterpriseReopening: cpuShare(departmentBefore, departmentAfter), operationsCenter: cpuShare(operationsBefore, operationsAfter) },
      // CPU time each service spent per command sent: comparable across runs whatever else loads the machine.
      // Statements enterprise-reopening sent PostgreSQL per command sent (its reads, appends, read model, relay, scheduler).
      pgStatementsPerCommand: Math.round((100 * (Number(departmentAfter.info.pgStatements) - Number(departmentBefore.info.pgStatements))) / total) / 100,
      cpuMsPerCommand: {
        enterpriseReopening: perCommand(departmentBefore, departmentAfter),
        operationsCenter: perCommand(operationsBefore, operationsAfter),
        // This process: the requests, each with a token of its own, and the overview polls.
        loadGenerator: Math.round((generator.user + generator.system) / 10 / total) / 100,
      },
      mode: 'stack, services as child processes',
      // The machine's load while it ran: the figures above are relative to it.
      loadAverage: Math.round(loadavg()[0] * 10) / 10,
    })}\n`,
  );
}

runBenchmark(main, { 'enterprise-reopening': enterpriseReopeningChild, 'operations-center': operationsCenterChild });
