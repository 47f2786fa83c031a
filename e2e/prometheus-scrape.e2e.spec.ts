import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as YAML from 'yaml';
import { issueToken, type Actor } from '@city/auth';
import { TEST_KAFKA_BROKERS } from '@city/testing';
import { callJson, pollUntil } from './support/http-client';
import { startProcessStack, type ProcessStack } from './support/process-stack';
import { PrometheusServer, type Sample } from './support/prometheus';

/**
 * A real Prometheus (Debian's package) scrapes the city in stack mode: the
 * canvass service and the operations center as separate processes on the real
 * broker and PostgreSQL, every second, with the repository's alert and
 * recording rules loaded. After a few commands, PromQL over the HTTP API
 * returns the pipeline's figures (commands handled by outcome, events appended,
 * published to Kafka, projected, relay and projection lag), and they are the
 * ones the commands imply; every rule evaluates without error.
 */

// Jest reads testTimeout only from the root config, not per project: set it here.
jest.setTimeout(300_000);

const SECRET = `e2e-prometheus-${randomUUID()}`;
const CHANGNING = '310105';
const SUBDISTRICT = '310105004';
const RULES_DIR = join(__dirname, '..', 'deploy', 'prometheus', 'rules');
const RULE_FILES = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.rules.yml'))
  .map((f) => join(RULES_DIR, f));

const staff: Actor = { sub: 'e2e-prometheus-staff', role: 'district-staff', district: CHANGNING };
const official: Actor = { sub: `e2e-official-${randomUUID().slice(0, 8)}`, role: 'field-official', district: CHANGNING, subdistrict: SUBDISTRICT };
const asStaff = issueToken(staff, SECRET);
const asOfficial = issueToken(official, SECRET);

let stack: ProcessStack | undefined;
let prometheus: PrometheusServer | undefined;

// Two service processes on a loaded machine (a minute or more each), then Prometheus.
beforeAll(async () => {
  stack = await startProcessStack({ jwtSecret: SECRET, kafkaBrokers: TEST_KAFKA_BROKERS });
  prometheus = await PrometheusServer.start({
    targets: [
      // The management port, as deploy/ scrapes them; the API port answers 404 for /metrics.
      { job: 'canvass', address: stack.canvass.managementUrl.replace('http://', '') },
      { job: 'operations-center', address: stack.operations.managementUrl.replace('http://', '') },
    ],
    ruleFiles: RULE_FILES,
  });
}, 240_000);

afterAll(async () => {
  await prometheus?.stop();
  await stack?.stop();
});

/** `{labelA,labelB} → value` of a query's samples, samples of value 0 left out (a counter a label set has not moved). */
function byLabels(samples: readonly Sample[], ...labels: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) if (s.value !== 0) out[labels.map((l) => s.metric[l]).join(',')] = s.value;
  return out;
}

it('returns the pipeline figures through PromQL, as the commands sent imply, with every rule evaluating cleanly', async () => {
  if (!stack || !prometheus) throw new Error('the stack did not start');
  const promql = prometheus;
  const { canvass } = stack;
  // As deployed: metrics and OpenAPI on the management port only.
  for (const path of ['/metrics', '/docs-json']) expect((await fetch(`${canvass.url}${path}`)).status).toBe(404);
  expect((await fetch(`${canvass.managementUrl}/docs-json`)).status).toBe(200);

  // A subdistrict, three units with their official, five visits (two, then three) and one resent, and one unit refused.
  expect(
    (await callJson('POST', `${canvass.url}/subdistricts`, asStaff, { districtCode: CHANGNING, subdistrictCode: SUBDISTRICT, name: 'Huayang Road' })).status,
  ).toBe(201);
  const unitIds = [1, 2, 3].map((n) => `e2e-prom-unit-${n}-${randomUUID()}`);
  for (const unitId of unitIds) {
    const unit = {
      unitId,
      kind: 'office-building',
      name: `Office ${unitId.slice(-4)}`,
      address: '1 Huayang Road',
      districtCode: CHANGNING,
      subdistrictCode: SUBDISTRICT,
      size: { tenants: 1, shops: 1, households: 0 },
    };
    expect((await callJson('POST', `${canvass.url}/units`, asStaff, unit)).status).toBe(201);
    expect((await callJson('PUT', `${canvass.url}/units/${unitId}/official`, asStaff, { officialId: official.sub })).status).toBe(200);
  }
  const visits = [0, 1, 2, 3, 4].map((k) => ({
    unitId: unitIds[k % 3],
    body: {
      visitId: randomUUID(),
      visitedAt: new Date(Date.now() - (k + 1) * 60_000).toISOString(),
      findings: { tenantsOpened: 0, tenantsClosed: 0, householdsCanvassed: 0, returnedFromOutside: 1, inHomeObservation: 0, note: 'e2e' },
    },
  }));
  const recordVisit = (v: (typeof visits)[number]) => callJson('POST', `${canvass.url}/units/${v.unitId}/visits`, asOfficial, v.body);
  for (const v of visits.slice(0, 2)) expect((await recordVisit(v)).status).toBe(201);
  // Prometheus sees the first two visits before the rest come, so the counters move between scrapes (a rate needs two samples).
  await pollUntil(
    async () => ((await promql.query('sum(city_commands_total{job="canvass",command="RecordCanvassVisit"})'))[0]?.value === 2 ? true : undefined),
    () => 'the first two visits not scraped yet',
    60_000,
    500,
  );
  for (const v of visits.slice(2)) expect((await recordVisit(v)).status).toBe(201);
  expect((await recordVisit(visits[0])).status).toBe(200); // resent: nothing appended

  const refused = await callJson('POST', `${canvass.url}/units`, asStaff, {
    unitId: `e2e-prom-unit-refused-${randomUUID()}`,
    kind: 'office-building',
    name: 'Office in a subdistrict nobody registered',
    address: '2 Huayang Road',
    districtCode: CHANGNING,
    subdistrictCode: '310105099',
    size: { tenants: 1, shops: 1, households: 0 },
  });
  expect(refused.status).toBe(409); // a business rule: the subdistrict is not registered
  const appended = { SubdistrictRegistered: 1, UnitRegistered: 3, ResponsibleOfficialAssigned: 3, CanvassVisitRecorded: 5 };
  const eventsAppended = Object.values(appended).reduce((a, b) => a + b, 0);
  const expected = {
    commands: {
      'RegisterSubdistrict,accepted': 1,
      'RegisterUnit,accepted': 3,
      'RegisterUnit,rejected_rule': 1,
      'AssignResponsibleOfficial,accepted': 3,
      'RecordCanvassVisit,accepted': 6,
    },
    appended,
    published: { [stack.topic]: eventsAppended },
    // Subdistricts feed the reference data; units and visits the canvass figures; assignments no figure.
    projected: { 'ops-reference-data,SubdistrictRegistered': 1, 'ops-canvass,UnitRegistered': 3, 'ops-canvass,CanvassVisitRecorded': 5 },
    relayLag: 0,
    up: { canvass: 1, 'operations-center': 1 },
  };

  // What an SRE's dashboard asks, as Prometheus has scraped it.
  const figures = async () => ({
    commands: byLabels(await promql.query('sum by (command, outcome) (city_commands_total{job="canvass"})'), 'command', 'outcome'),
    appended: byLabels(await promql.query('sum by (type) (city_events_appended_total{job="canvass"})'), 'type'),
    published: byLabels(await promql.query('sum by (topic) (city_relay_published_total{job="canvass"})'), 'topic'),
    projected: byLabels(await promql.query('sum by (projection, type) (city_projection_events_total{job="operations-center"})'), 'projection', 'type'),
    relayLag: (await promql.query('max(city_relay_lag_events{job="canvass"})'))[0]?.value,
    up: Object.fromEntries((await promql.query('up{platform="city"}')).map((s) => [s.metric.job, s.value])),
  });
  let seen: unknown;
  const settled = await pollUntil(
    async () => {
      const f = await figures();
      seen = f;
      return isDeepStrictEqual(f, expected) ? f : undefined;
    },
    () => JSON.stringify(seen),
    120_000, // relay, Kafka, projection, then a scrape: seconds when idle
    500,
  );
  expect(settled).toEqual(expected);

  // The operations center's projection figures are there too: lag (seconds) and checkpoints, per projection.
  const lagSeconds = await promql.query('max by (projection) (city_projection_lag_seconds{job="operations-center"})');
  expect(lagSeconds.map((s) => s.metric.projection).sort()).toEqual(['ops-canvass', 'ops-reference-data']);
  for (const s of lagSeconds) expect(s.value).toBeGreaterThanOrEqual(0);
  const checkpoints = await promql.query('min by (projection) (city_projection_checkpoint_position{job="operations-center"})');
  expect(checkpoints.map((s) => s.metric.projection).sort()).toEqual(['ops-canvass', 'ops-reference-data']);
  for (const s of checkpoints) expect(s.value).toBeGreaterThan(0);
  expect(await promql.query('sum(city_dlq_messages_total)')).toEqual([]); // nothing dead-lettered (no series at all)

  // The repository's rules loaded (a file that did not parse would have stopped Prometheus), and each evaluated
  // without error; the recording rules compute from the scraped series.
  const fileRules = RULE_FILES.flatMap((f) =>
    (YAML.parse(readFileSync(f, 'utf8')) as { groups: { name: string; rules: ({ record: string } | { alert: string })[] }[] }).groups.flatMap((g) =>
      g.rules.map((r) => `${g.name}/${'record' in r ? r.record : r.alert}`),
    ),
  );
  let lastRules: unknown;
  const rules = await pollUntil(
    async () => {
      const states = await promql.rules();
      lastRules = states.filter((r) => r.health !== 'ok');
      return states.length === fileRules.length && states.every((r) => r.health !== 'unknown') ? states : undefined;
    },
    () => JSON.stringify(lastRules),
    120_000, // the recording group evaluates every 30 s
    1000,
  );
  expect(rules.map((r) => `${r.group}/${r.name}`).sort()).toEqual([...fileRules].sort());
  expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
  const rate = await pollUntil(
    async () => {
      const samples = await promql.query('service:city_commands:rate5m{service="canvass"}');
      return samples.length > 0 && samples[0].value > 0 ? samples[0].value : undefined;
    },
    () => 'no canvass command rate recorded yet',
    120_000,
    1000,
  );
  expect(rate).toBeGreaterThan(0);
  process.stdout.write(
    `prometheus scrape e2e: ${JSON.stringify({ ...settled, projectionLagSeconds: Object.fromEntries(lagSeconds.map((s) => [s.metric.projection, s.value])), rules: rules.length })}\n`,
  );
}, 300_000);
