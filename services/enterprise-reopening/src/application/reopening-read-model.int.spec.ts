import { randomUUID } from 'node:crypto';
import { creditCodeCheckCharacter, enterpriseReopeningStreams } from '@city/contracts';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { RECTIFICATION_DUE, ReopeningReadModel, TO_INSPECT, type QueueEntry } from './reopening-read-model';

/**
 * The read model applies a pass's events with one statement per kind of change and layer (an
 * enterprise's k-th event of the pass is in layer k): what it keeps must be what applying them one by one keeps,
 * whatever the mix in a pass (an enterprise's whole way to reopening in one pass, other
 * enterprises interleaved, an appeal in between).
 */

const creditCode = (n: number) => {
  const first17 = `91310105MA1RM${String(n).padStart(4, '0')}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
};
const facts = (code: string, reopeningStatus: string) => ({
  creditCode: code,
  size: 'small',
  industryCode: 'software-it-services',
  districtCode: '310105',
  subdistrictCode: '310105002',
  usualHeadcount: 40,
  reopeningStatus,
});
const registered = (code: string, at: string) => ({
  type: 'EnterpriseRegistered',
  data: { ...facts(code, 'not-declared'), name: `Firm ${code.slice(-4)}`, registeredBy: 'eic', registeredAt: at },
});
const declared = (code: string, declarationId: string, at: string) => ({
  type: 'ReopeningDeclared',
  data: {
    ...facts(code, 'declared'),
    declarationId,
    plannedReopeningDate: '2020-02-14',
    guidelineVersion: 2,
    confirmedMeasures: ['masks', 'ventilation'],
    workforcePlan: { onSite: 10, rotating: 10, remote: 20 },
    returneesInObservation: 0,
    declaredBy: code,
    declaredAt: at,
  },
});
const inspected = (code: string, declarationId: string, round: number, items: string[], at: string) => ({
  type: 'InspectionRecorded',
  data: {
    ...facts(code, items.length > 0 ? 'rectification-required' : 'inspection-passed'),
    inspectionId: `${declarationId}-i${round}`,
    declarationId,
    outcome: items.length > 0 ? 'rectification-required' : 'passed',
    round,
    rectificationItems: items,
    ...(items.length > 0 ? { rectificationDueDate: '2020-02-16' } : {}),
    inspectedBy: 'inspector-wang',
    inspectedAt: at,
  },
});
const rectified = (code: string, declarationId: string, at: string) => ({
  type: 'RectificationSubmitted',
  data: { ...facts(code, 'rectification-submitted'), declarationId, rectifiedItems: ['ventilation'], submittedBy: code, submittedAt: at },
});
const reopened = (code: string, declarationId: string, at: string) => ({
  type: 'EnterpriseReopened',
  data: { ...facts(code, 'reopened'), declarationId, reopenedOn: '2020-02-14', guidelineVersion: 2, reportedBy: code, reportedAt: at },
});
const appealFiled = (code: string, appealId: string, at: string) => ({
  type: 'AppealFiled',
  data: {
    ...facts(code, 'declared'),
    appealId,
    category: 'supply-chain',
    subject: 'Masks',
    department: 'commerce',
    dueAt: '2020-02-15T02:00:00.000Z',
    filedAt: at,
  },
});

let database: TestDatabase;
let store: PostgresEventStore;
let readModel: ReopeningReadModel;

beforeAll(async () => {
  database = await createTestDatabase('er_read_model');
  store = new PostgresEventStore(database.db);
  await store.migrate();
  readModel = new ReopeningReadModel({ store, db: database.db });
}, 60_000);

afterAll(async () => {
  await readModel?.stop();
  await store?.close();
  await database?.drop();
});

async function append(streamId: string, events: readonly { type: string; data: object }[]): Promise<void> {
  await store.appendToStream(
    streamId,
    events.map((e) => ({ eventId: randomUUID(), type: e.type, schemaVersion: 1, data: e.data, metadata: { correlationId: 'spec', causationId: 'spec' } })),
    'any',
  );
}

const everyPlace = [...TO_INSPECT, ...RECTIFICATION_DUE, 'not-declared', 'inspection-passed', 'reopened'] as const;
const entriesOf = async (): Promise<Map<string, QueueEntry>> =>
  new Map((await readModel.queue(everyPlace as unknown as QueueEntry['reopeningStatus'][], { limit: 100 }, 'waiting')).map((e) => [e.creditCode, e]));

it('keeps, from one pass of many events, what applying them in order keeps', async () => {
  const [a, b, c, d] = [1, 2, 3, 4].map(creditCode);
  // Registrations of four enterprises, then A's whole way to reopening with B, C and an appeal interleaved:
  // all committed before the read model reads, so one pass applies them.
  for (const [i, code] of [a, b, c, d].entries()) await append(enterpriseReopeningStreams.enterprise(code), [registered(code, `2020-02-10T0${i}:00:00.000Z`)]);
  await append(enterpriseReopeningStreams.enterprise(a), [declared(a, 'd-a', '2020-02-11T01:00:00.000Z')]);
  await append(enterpriseReopeningStreams.enterprise(b), [declared(b, 'd-b', '2020-02-11T02:00:00.000Z')]);
  await append(enterpriseReopeningStreams.enterprise(a), [inspected(a, 'd-a', 1, ['ventilation'], '2020-02-11T03:00:00.000Z')]);
  await append(enterpriseReopeningStreams.appeal('ap-1'), [appealFiled(b, 'ap-1', '2020-02-11T03:30:00.000Z')]);
  await append(enterpriseReopeningStreams.enterprise(c), [declared(c, 'd-c', '2020-02-11T04:00:00.000Z')]);
  await append(enterpriseReopeningStreams.enterprise(a), [
    rectified(a, 'd-a', '2020-02-11T05:00:00.000Z'),
    inspected(a, 'd-a', 2, [], '2020-02-11T06:00:00.000Z'),
    reopened(a, 'd-a', '2020-02-11T07:00:00.000Z'),
  ]);
  await append(enterpriseReopeningStreams.enterprise(b), [inspected(b, 'd-b', 1, ['masks'], '2020-02-11T08:00:00.000Z')]);

  const entries = await entriesOf();
  expect(entries.get(a)).toMatchObject({
    reopeningStatus: 'reopened',
    declarationId: 'd-a',
    guidelineVersion: 2,
    confirmedMeasures: ['masks', 'ventilation'],
    rounds: 2,
    rectificationItems: [],
    rectificationDueDate: null,
    declaredAt: '2020-02-11T01:00:00.000Z',
    waitingSince: '2020-02-11T07:00:00.000Z',
  });
  expect(entries.get(b)).toMatchObject({
    reopeningStatus: 'rectification-required',
    rounds: 1,
    rectificationItems: ['masks'],
    rectificationDueDate: '2020-02-16',
    waitingSince: '2020-02-11T08:00:00.000Z',
  });
  expect(entries.get(c)).toMatchObject({ reopeningStatus: 'declared', declarationId: 'd-c', rounds: 0, waitingSince: '2020-02-11T04:00:00.000Z' });
  expect(entries.get(d)).toMatchObject({
    name: `Firm ${d.slice(-4)}`,
    reopeningStatus: 'not-declared',
    usualHeadcount: 40,
    declarationId: null,
    waitingSince: '2020-02-10T03:00:00.000Z',
  });
  expect(await readModel.appealsOf(b, 10)).toMatchObject([{ appealId: 'ap-1', status: 'open', department: 'commerce' }]);
});

it('registers an enterprise once when its registration is read again', async () => {
  const e = creditCode(5);
  await append(enterpriseReopeningStreams.enterprise(e), [registered(e, '2020-02-10T09:00:00.000Z'), registered(e, '2020-02-10T10:00:00.000Z')]);
  expect((await entriesOf()).get(e)).toMatchObject({ waitingSince: '2020-02-10T09:00:00.000Z' });
});
