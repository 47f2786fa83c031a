import { randomInt, randomUUID } from 'node:crypto';
import { issueToken, type Actor } from '@city/auth';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createKafka } from '@city/kafka';
import { canvassReadModel, OperationsReadModel, pastAsOf, rebuildContext } from '@city/operations-center-service';
import type { SqlDatabase } from '@city/sql';
import { createTestDatabase, DedicatedKafka, uniqueName, type TestDatabase } from '@city/testing';
import { pollUntil } from './support/http-client';
import { startProcessStack, type ProcessStack } from './support/process-stack';
import type { ServiceProcess } from './support/service-process';

/**
 * Chaos in stack mode. Field officials record canvass visits for CHAOS_SECONDS
 * (default 120) at about CHAOS_RATE visits a second (default 40), each phone
 * retrying a visit with the same visit id until the service acknowledges it,
 * while the test kills -9, at random moments, the canvass service (it holds the
 * relay), the operations center and the Kafka broker, and starts each again;
 * each service is also stopped once by SIGTERM, as an orchestrator stops a pod,
 * and must exit within its shutdown bound (SHUTDOWN_TIMEOUT_MS) before its
 * grace period ends, whatever the broker does.
 * The moments come from a seeded generator: the seed is printed, and
 * CHAOS_SEED=<seed> replays the same schedule of faults.
 *
 * The broker is this test's own (deploy/local/kafka-up.sh on ports and a data
 * folder of its own): the broker other tests share is never touched.
 *
 * Then, once the relay and the projections have caught up, it proves:
 * - every acknowledged visit is in the event store exactly once (and no visit twice);
 * - every stored event reached Kafka at least once (the topic, read from the start);
 * - the live read model equals one rebuilt from the event store, figure by figure
 *   (now, and as of the middle of the run).
 * Nothing waits for a fixed time: every wait is for a condition, with generous bounds.
 */

const CHAOS_SECONDS = Number(process.env.CHAOS_SECONDS ?? 120);
const CHAOS_RATE = Number(process.env.CHAOS_RATE ?? 40);
const SEED = process.env.CHAOS_SEED === undefined ? randomInt(2 ** 31) : Number(process.env.CHAOS_SEED);
const WORKERS = 8;
/** How long a phone keeps retrying a visit after the load ends (services restarting, the broker coming back). */
const RETRY_AFTER_LOAD_MS = 180_000;
/** Bound of every wait for the pipeline to catch up (relay back-off up to 30 s, restarts on a loaded machine). */
const CATCH_UP_MS = 300_000;
/** The services' SHUTDOWN_TIMEOUT_MS: every step of a shutdown is bounded by what is left of it. */
const SHUTDOWN_TIMEOUT_MS = 10_000;
/**
 * What an orchestrator's grace period keeps over the services' bound before it kills -9 (Kubernetes: 30 s
 * over the kit's default 25 s): the signal's delivery and the process's own exit on a loaded machine.
 */
const GRACE_MARGIN_MS = 5_000;
/** How long a service may take to listen again before a SIGTERM is sent to it (a restart on a loaded machine). */
const LIVE_BEFORE_SIGTERM_MS = 180_000;

// The broker and two services starting, the load, the catch-up, the proofs.
jest.setTimeout(CHAOS_SECONDS * 1000 + 20 * 60_000);

const SECRET = `e2e-chaos-${randomUUID()}`;
const DISTRICTS = ['310105', '310107'];
const SUBDISTRICTS_PER_DISTRICT = 2;
const UNITS_PER_SUBDISTRICT = 10;
const department = issueToken({ sub: 'e2e-chaos-canvass-department', role: 'department', department: 'canvass' }, SECRET);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** mulberry32: a small seeded generator, so a run's fault schedule can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Unit {
  readonly unitId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly officialToken: string;
}

interface Visit {
  readonly unitId: string;
  readonly visitId: string;
  readonly body: unknown;
  token: string;
  attempts: number;
  /** 201 (recorded) or 200 (already recorded: an earlier attempt got in); undefined while never acknowledged. */
  acknowledged?: 200 | 201;
  refused?: string;
}

type Target = 'canvass' | 'operations-center' | 'broker';
type FaultKind = 'kill -9' | 'SIGTERM';
interface Fault {
  readonly target: Target;
  readonly kind: FaultKind;
  /** Seconds since the load started. */
  readonly atSeconds: number;
  readonly downSeconds: number;
  /** Seconds from the restart to the broker answering again (broker only; services are only spawned). */
  restartSeconds?: number;
  /** SIGTERM: seconds from the signal to the exit, its status (143) or signal, and whether the grace period ran out. */
  exit?: { seconds: number; code: number | null; signal: string | null; killedAfterGrace: boolean };
}

let broker: DedicatedKafka | undefined;
let stack: ProcessStack | undefined;
let rebuilt: TestDatabase | undefined;

beforeAll(async () => {
  process.stdout.write(`chaos e2e: seed ${SEED} (CHAOS_SEED=${SEED} replays the faults), ${CHAOS_SECONDS} s at ${CHAOS_RATE} visits/s\n`);
  // The broker and the services start side by side: the services listen while the broker is down and become ready when it answers.
  broker = await DedicatedKafka.create();
  const [up, started] = await Promise.allSettled([
    broker.up(),
    startProcessStack({ jwtSecret: SECRET, kafkaBrokers: broker.brokers, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS }),
  ]);
  if (started.status === 'fulfilled') stack = started.value;
  if (up.status === 'rejected') throw up.reason;
  if (started.status === 'rejected') throw started.reason;
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  await broker?.stop();
  await rebuilt?.drop().catch(() => undefined);
});

/** One HTTP call that never throws: a status, or 0 when the connection failed or timed out. */
async function post(url: string, token: string, body: unknown, method = 'POST'): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    return { status: 0, text: String(error) };
  }
}

async function registerCity(canvassUrl: string, runId: string): Promise<Unit[]> {
  const units: Unit[] = [];
  const expectOk = async (what: string, answer: Promise<{ status: number; text: string }>, status: number) => {
    const a = await answer;
    if (a.status !== status) throw new Error(`${what}: ${a.status} ${a.text}`);
  };
  for (const districtCode of DISTRICTS) {
    for (let s = 1; s <= SUBDISTRICTS_PER_DISTRICT; s++) {
      const subdistrictCode = `${districtCode}${String(s).padStart(3, '0')}`;
      await expectOk(
        'register subdistrict',
        post(`${canvassUrl}/subdistricts`, department, { districtCode, subdistrictCode, name: `Subdistrict ${subdistrictCode}` }),
        201,
      );
      const official: Actor = { sub: `e2e-chaos-official-${subdistrictCode}`, role: 'field-official', district: districtCode, subdistrict: subdistrictCode };
      for (let u = 0; u < UNITS_PER_SUBDISTRICT; u++) {
        const unitId = `chaos-${runId}-${subdistrictCode}-${u}`;
        await expectOk(
          'register unit',
          post(`${canvassUrl}/units`, department, {
            unitId,
            kind: 'residential-building-group',
            name: `Compound ${u}`,
            address: `${u} Chaos Road`,
            districtCode,
            subdistrictCode,
            size: { tenants: 0, shops: 2, households: 100 },
          }),
          201,
        );
        await expectOk('assign official', post(`${canvassUrl}/units/${unitId}/official`, department, { officialId: official.sub }, 'PUT'), 200);
        units.push({ unitId, districtCode, subdistrictCode, officialToken: issueToken(official, SECRET) });
      }
    }
  }
  return units;
}

/**
 * A phone recording one visit: retries with the same visit id (and body) on a
 * broken connection, a timeout, 5xx, 409 (a concurrent attempt of its own) or
 * 429, with back-off, until acknowledged or `giveUpAt`. Any other 4xx refuses it.
 */
async function recordVisit(canvassUrl: string, visit: Visit, giveUpAt: number, retries: Map<string, number>, halted: () => boolean): Promise<void> {
  for (;;) {
    visit.attempts++;
    const answer = await post(`${canvassUrl}/units/${visit.unitId}/visits`, visit.token, visit.body);
    if (answer.status === 201 || answer.status === 200) {
      visit.acknowledged = answer.status;
      return;
    }
    const retryable = answer.status === 0 || answer.status >= 500 || answer.status === 409 || answer.status === 429;
    if (!retryable) {
      visit.refused = `${answer.status} ${answer.text}`;
      return;
    }
    const reason = answer.status === 0 ? 'connection' : String(answer.status);
    retries.set(reason, (retries.get(reason) ?? 0) + 1);
    if (Date.now() > giveUpAt || halted()) return;
    await sleep(Math.min(2000, 100 * 2 ** Math.min(visit.attempts, 5)));
  }
}

/** Everything the operations center answers for the city and the test's districts, as of `at`, and the 14-day series. */
async function snapshot(db: SqlDatabase, topic: string, at: Date, middle: Date) {
  const model = new OperationsReadModel(db, [{ ...canvassReadModel(), topic }]);
  const city = await model.cityOverview(pastAsOf(at));
  const cityMiddle = await model.cityOverview(pastAsOf(middle));
  const subdistricts = [];
  for (const code of DISTRICTS) subdistricts.push((await model.subdistricts(code, pastAsOf(at))).subdistricts);
  return {
    city: { city: city.city, districts: city.districts.map((d) => d.figures) },
    asOfMiddle: { city: cityMiddle.city, districts: cityMiddle.districts.map((d) => d.figures) },
    subdistricts,
    citySubdistricts: (await model.citySubdistricts(pastAsOf(at))).subdistricts,
    series: (await model.series(at, 14)).days,
  };
}

/** The value of an unlabelled-or-single series of a service's /metrics, or undefined when absent or unreachable. */
async function metric(service: ServiceProcess, name: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${service.managementUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  } catch {
    return undefined;
  }
}

it('loses no acknowledged visit, doubles none, delivers every event, and its live figures equal a rebuild, through kill -9 of canvass, the operations center and the broker and SIGTERM of both services', async () => {
  if (!stack || !broker) throw new Error('the stack did not start');
  const { canvass, operations, topic, storeDb, readDb } = stack;
  const kafkaBroker = broker;
  const random = seeded(SEED);

  const units = await registerCity(canvass.url, randomUUID().slice(0, 8));

  // ------------------------------------------------------------ load and faults, side by side
  const visits: Visit[] = [];
  const retries = new Map<string, number>();
  const faults: Fault[] = [];
  const loadStart = Date.now();
  const loadEnd = loadStart + CHAOS_SECONDS * 1000;
  const giveUpAt = loadEnd + RETRY_AFTER_LOAD_MS;
  const intervalMs = (1000 * WORKERS) / CHAOS_RATE;
  /** Set when the test ends early (a failure): the phones and the faults stop. */
  let halted = false;

  const worker = async (w: number): Promise<void> => {
    const mine = units.filter((_, i) => i % WORKERS === w);
    for (let k = 0; ; k++) {
      const due = loadStart + k * intervalMs + (w * intervalMs) / WORKERS;
      // The load lasts CHAOS_SECONDS: a phone that fell behind its schedule (retries) sends no more after that.
      if (due >= loadEnd || Date.now() >= loadEnd || halted) return;
      if (due > Date.now()) await sleep(due - Date.now());
      const unit = mine[k % mine.length];
      const visit: Visit = {
        unitId: unit.unitId,
        visitId: randomUUID(),
        token: unit.officialToken,
        attempts: 0,
        body: {
          visitedAt: new Date(Date.now() - 1000).toISOString(),
          findings: {
            tenantsOpened: k % 3 === 0 ? 1 : 0,
            tenantsClosed: 0,
            householdsCanvassed: 1 + (k % 5),
            returnedFromOutside: k % 4,
            inHomeObservation: k % 2,
            note: 'chaos',
          },
        },
      };
      (visit.body as { visitId: string }).visitId = visit.visitId;
      visits.push(visit);
      await recordVisit(canvass.url, visit, giveUpAt, retries, () => halted);
    }
  };

  const restart = async (target: Target): Promise<number | undefined> => {
    if (target === 'broker') {
      const started = Date.now();
      await kafkaBroker.up();
      return (Date.now() - started) / 1000;
    }
    (target === 'canvass' ? canvass : operations).start();
    return undefined;
  };

  // The schedule, drawn up front from the seed: CHAOS_SECONDS/30 + 1 faults (at least 5), in rounds: every
  // target in the first round, the two services in the second, and so on alternately (a broker restart takes
  // the longest), each round in a seeded order, at seeded moments between 10% and 85% of the load, each down
  // for 0–5 s and then started again. A service is killed -9 in one of its faults and stopped by SIGTERM in
  // the next (which first, seeded), so every run has both for both. A fault whose moment has passed while the
  // previous one restarted (the broker takes seconds, a minute on a loaded machine) comes at once; once the
  // load is over, only a target or kind not yet hit still is.
  const plan: { target: Target; kind: FaultKind; atMs: number; downMs: number }[] = [];
  const faultCount = Math.max(5, Math.round(CHAOS_SECONDS / 30) + 1);
  const moments = Array.from({ length: faultCount }, () => (0.1 + 0.75 * random()) * CHAOS_SECONDS * 1000).sort((a, b) => a - b);
  for (let r = 0; plan.length < faultCount; r++) {
    const round: Target[] = r % 2 === 0 ? ['canvass', 'operations-center', 'broker'] : ['canvass', 'operations-center'];
    for (let j = round.length - 1; j > 0; j--) {
      const k = Math.floor(random() * (j + 1));
      [round[j], round[k]] = [round[k], round[j]];
    }
    for (const target of round.slice(0, faultCount - plan.length)) plan.push({ target, kind: 'kill -9', atMs: moments[plan.length], downMs: random() * 5000 });
  }
  for (const service of ['canvass', 'operations-center'] as const) {
    const sigtermFirst = random() < 0.5;
    plan.filter((step) => step.target === service).forEach((step, n) => (step.kind = (n % 2 === 0) === sigtermFirst ? 'SIGTERM' : 'kill -9'));
  }
  const hit = (step: { target: Target; kind: FaultKind }) => faults.some((f) => f.target === step.target && f.kind === step.kind);
  const chaos = async (): Promise<void> => {
    for (const step of plan) {
      if (halted) return;
      if (Date.now() >= loadEnd && hit(step)) continue;
      const wait = loadStart + step.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      const service = step.target === 'broker' ? undefined : step.target === 'canvass' ? canvass : operations;
      // A SIGTERM is for a running service, not one still starting (it has no handler yet).
      if (service && step.kind === 'SIGTERM') await service.waitLive(LIVE_BEFORE_SIGTERM_MS);
      const fault: Fault = {
        target: step.target,
        kind: step.kind,
        atSeconds: Math.round((Date.now() - loadStart) / 100) / 10,
        downSeconds: Math.round(step.downMs) / 1000,
      };
      faults.push(fault);
      if (!service) await kafkaBroker.kill9();
      else if (step.kind === 'kill -9') await service.kill9();
      else {
        const exit = await service.sigterm(SHUTDOWN_TIMEOUT_MS + GRACE_MARGIN_MS);
        fault.exit = { seconds: exit.exitMs / 1000, code: exit.code, signal: exit.signal, killedAfterGrace: exit.killedAfterGrace };
      }
      await sleep(step.downMs);
      fault.restartSeconds = await restart(step.target);
    }
  };

  // What the run saw, printed at the end whether the proofs hold or not.
  const report: Record<string, unknown> = { seed: SEED, seconds: CHAOS_SECONDS, rate: CHAOS_RATE, faults };
  const phaseSeconds: Record<string, number> = {};
  let phaseStart = Date.now();
  const phase = (name: string) => {
    phaseSeconds[name] = Math.round((Date.now() - phaseStart) / 100) / 10;
    phaseStart = Date.now();
  };
  const summarise = () => {
    const acknowledged = visits.filter((v) => v.acknowledged !== undefined);
    report.visits = {
      sent: visits.length,
      acknowledged: acknowledged.length,
      acknowledgedAsAlreadyRecorded: acknowledged.filter((v) => v.acknowledged === 200).length,
      refused: visits.filter((v) => v.refused !== undefined).length,
      attempts: visits.reduce((n, v) => n + v.attempts, 0),
      retriesByReason: Object.fromEntries(retries),
    };
    report.restarts = { canvass: canvass.restarts, operationsCenter: operations.restarts };
    report.crashes = [...canvass.crashes, ...operations.crashes];
    report.phaseSeconds = phaseSeconds;
  };

  try {
    await Promise.all([...Array.from({ length: WORKERS }, (_, w) => worker(w)), chaos()]);
    phase('loadAndFaults');
    const middle = new Date(loadStart + (CHAOS_SECONDS * 1000) / 2);
    expect(new Set(faults.map((f) => f.target))).toEqual(new Set<Target>(['canvass', 'operations-center', 'broker']));
    // Both services were stopped by SIGTERM, and each exited within its bound, by its own shutdown (143), never killed at the grace period's end.
    const sigterms = faults.filter((f) => f.kind === 'SIGTERM');
    expect(new Set(sigterms.map((f) => f.target))).toEqual(new Set<Target>(['canvass', 'operations-center']));
    expect(
      sigterms.filter((f) => !f.exit || f.exit.killedAfterGrace || f.exit.code !== 143 || f.exit.seconds * 1000 > SHUTDOWN_TIMEOUT_MS + GRACE_MARGIN_MS),
    ).toEqual([]);

    // ---------------------------------------------------------- wait for the lags to reach zero
    await canvass.waitReady(CATCH_UP_MS);
    await operations.waitReady(CATCH_UP_MS);
    phase('servicesReady');
    const { rows: heads } = await storeDb.db.query<{ head: string }>('SELECT coalesce(max(global_position), 0)::text AS head FROM event_store.events');
    const head = BigInt(heads[0].head);
    let relayCheckpoint = -1n;
    await pollUntil(
      async () => {
        const { rows } = await storeDb.db.query<{ position: string | null }>('SELECT max(position)::text AS position FROM relay_checkpoints');
        relayCheckpoint = BigInt(rows[0].position ?? '-1');
        return relayCheckpoint >= head ? true : undefined;
      },
      () => `relay checkpoint ${relayCheckpoint}, store head ${head}`,
      CATCH_UP_MS,
      500,
    );
    // The relay's own gauge agrees once it has measured again (every 5 s).
    let relayLag: number | undefined;
    await pollUntil(
      async () => ((relayLag = await metric(canvass, 'city_relay_lag_events')) === 0 ? true : undefined),
      () => `city_relay_lag_events ${String(relayLag)}`,
      CATCH_UP_MS,
      1000,
    );
    phase('relayCaughtUp');

    const admin = createKafka({ brokers: kafkaBroker.brokers, clientId: uniqueName('e2e-chaos-check') }).admin();
    await admin.connect();
    let ends: { partition: number; high: string }[] = [];
    let stored = new Map<string, bigint>();
    try {
      ends = (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, high: p.high }));
      // The projections have stored, with their read models, the offset after the last message of every partition.
      const projections = ['ops-canvass', 'ops-reference-data'];
      await pollUntil(
        async () => {
          const { rows } = await readDb.db.query<{ projection: string; partition: number; next_offset: string }>(
            'SELECT consumer AS projection, partition, next_offset::text FROM consumer_offsets WHERE topic = $1',
            [topic],
          );
          stored = new Map(rows.map((r) => [`${r.projection}/${r.partition}`, BigInt(r.next_offset)]));
          return ends.every((e) => projections.every((p) => (stored.get(`${p}/${e.partition}`) ?? 0n) >= BigInt(e.high))) ? true : undefined;
        },
        () => `topic ends ${JSON.stringify(ends)}, stored offsets ${JSON.stringify([...stored].map(([k, v]) => [k, v.toString()]))}`,
        CATCH_UP_MS,
        500,
      );
    } finally {
      await admin.disconnect();
    }
    phase('projectionsCaughtUp');
    report.lags = {
      relayCheckpoint: relayCheckpoint.toString(),
      storeHead: head.toString(),
      relayLagEvents: relayLag,
      projectionLagSeconds: await metric(operations, 'city_projection_lag_seconds'),
      topicEnds: Object.fromEntries(ends.map((e) => [e.partition, Number(e.high)])),
    };

    // ---------------------------------------------------------- 1. every acknowledged visit stored exactly once
    summarise();
    const acknowledged = visits.filter((v) => v.acknowledged !== undefined);
    const { rows: storedVisits } = await storeDb.db.query<{ visit_id: string; copies: string }>(
      `SELECT data->>'visitId' AS visit_id, count(*)::text AS copies FROM event_store.events WHERE type = 'CanvassVisitRecorded' GROUP BY 1`,
    );
    const copies = new Map(storedVisits.map((r) => [r.visit_id, Number(r.copies)]));
    const { rows: storedEvents } = await storeDb.db.query<{ event_id: string }>(
      `SELECT event_id::text FROM event_store.events WHERE stream_id LIKE 'canvass.%'`,
    );
    report.store = { events: storedEvents.length, visits: copies.size };
    expect(visits.filter((v) => v.refused !== undefined).map((v) => v.refused)).toEqual([]);
    expect(visits.filter((v) => v.acknowledged === undefined).length).toBe(0); // every phone got its answer in the end
    expect(acknowledged.filter((v) => copies.get(v.visitId) !== 1).map((v) => ({ visitId: v.visitId, copies: copies.get(v.visitId) ?? 0 }))).toEqual([]);
    expect([...copies].filter(([, n]) => n !== 1)).toEqual([]);
    const sent = new Set(visits.map((v) => v.visitId));
    expect([...copies.keys()].filter((id) => !sent.has(id))).toEqual([]);
    expect(copies.size).toBe(acknowledged.length);

    // ---------------------------------------------------------- 2. every stored event on Kafka at least once
    const delivered = await readTopic(kafkaBroker.brokers, topic, ends);
    report.kafka = { messages: delivered.messages, distinctEvents: delivered.ids.size, redelivered: delivered.messages - delivered.ids.size };
    expect(storedEvents.filter((e) => !delivered.ids.has(e.event_id)).map((e) => e.event_id)).toEqual([]);
    phase('storeAndTopicRead');

    // ---------------------------------------------------------- 3. live read model = rebuilt from the store, figure by figure
    const now = new Date();
    const live = await snapshot(readDb.db, topic, now, middle);
    rebuilt = await createTestDatabase('e2e_chaos_rebuilt');
    const store = new PostgresEventStore(storeDb.db);
    try {
      await rebuildContext(store, rebuilt.db, canvassReadModel(), { source: '/city/canvass' });
    } finally {
      await store.close();
    }
    const fromStore = await snapshot(rebuilt.db, topic, now, middle);
    phase('rebuilt');
    const cityCanvass = live.city.city.canvass as { units: { active: number }; visits: { total: number } };
    report.liveFigures = { unitsActive: cityCanvass.units.active, visitsTotal: cityCanvass.visits.total };
    expect(live).toEqual(fromStore);
    expect(cityCanvass.units.active).toBe(units.length);
    expect(cityCanvass.visits.total).toBe(acknowledged.length);
  } finally {
    halted = true;
    summarise();
    process.stdout.write(`chaos e2e: ${JSON.stringify(report)}\n`);
  }
});

/** Every message of the topic up to `ends` (the high watermarks), read from the start by a group of its own: ce_id headers. */
async function readTopic(
  brokers: string[],
  topic: string,
  ends: readonly { partition: number; high: string }[],
): Promise<{ ids: Set<string>; messages: number }> {
  const consumer = createKafka({ brokers, clientId: uniqueName('e2e-chaos-reader') }).consumer({ groupId: uniqueName('e2e-chaos-reader') });
  const ids = new Set<string>();
  let messages = 0;
  const next = new Map<number, bigint>();
  const done = () => ends.every((e) => (next.get(e.partition) ?? 0n) >= BigInt(e.high));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        messages++;
        const id = message.headers?.ce_id;
        if (id !== undefined) ids.add(Buffer.isBuffer(id) ? id.toString() : String(id));
        next.set(partition, BigInt(message.offset) + 1n);
      },
    });
    await pollUntil(
      async () => (done() ? true : undefined),
      () => `read ${messages} messages; next offsets ${JSON.stringify([...next].map(([p, o]) => [p, o.toString()]))}, ends ${JSON.stringify(ends)}`,
      CATCH_UP_MS,
      200,
    );
  } finally {
    await consumer.disconnect();
  }
  return { ids, messages };
}
