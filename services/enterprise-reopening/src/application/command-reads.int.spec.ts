import { creditCodeCheckCharacter, enterpriseReopeningStreams, INITIAL_GUIDELINES } from '@city/contracts';
import { NotFoundError, type EventStore } from '@city/eventsourcing';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import type { Actor } from '../domain/command-context';
import { EnterpriseCommands } from './enterprise-commands';
import { GuidelineCatalog } from './guideline-catalog';
import { ReopeningReadModel } from './reopening-read-model';

/**
 * What a command reads from the store: the guideline in force comes from memory once the
 * catalog follows the store (a version issued on this replica at once, one issued on another
 * through the read model, which reads the log anyway), and a declaration reads its enterprise's stream once.
 */

const INDUSTRY = 'software-it-services';
const seeded = INITIAL_GUIDELINES.find((g) => g.industryCode === INDUSTRY);
if (!seeded) throw new Error(`no seeded guideline for ${INDUSTRY}`);
const commission: Actor = { sub: 'eic-desk', role: 'department', department: 'enterprise-reopening' };
const ctx = (actor: Actor) => ({ actor, correlationId: 'spec' });
const creditCode = (n: number) => {
  const first17 = `91310105MA1RC${String(n).padStart(4, '0')}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
};
const clock = () => new Date('2020-02-12T02:00:00Z');

let database: TestDatabase;
/** Two replicas of the service: a store (and its subscriptions) each, on one database. */
let stores: PostgresEventStore[];
const reads: string[] = [];

/** The store, with every stream read written down. */
function counting(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return (streamId: string, ...rest: unknown[]) => {
          reads.push(streamId);
          return (target.readStream as (...args: unknown[]) => unknown)(streamId, ...rest);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

beforeAll(async () => {
  database = await createTestDatabase('er_command_reads');
  stores = [new PostgresEventStore(database.db), new PostgresEventStore(database.db)];
  await stores[0].migrate();
  await new GuidelineCatalog(stores[0], clock).seed();
}, 60_000);

afterAll(async () => {
  for (const store of stores ?? []) await store.close();
  await database?.drop();
});

beforeEach(() => {
  reads.length = 0;
});

const guidelineStream = enterpriseReopeningStreams.guideline(INDUSTRY);
const measures = (extra: string[] = []) => [...seeded.measures, ...extra.map((code) => ({ code, requirement: code }))];

it('reads the guideline stream on every lookup until it follows the store, then not at all', async () => {
  const catalog = new GuidelineCatalog(counting(stores[0]), clock);
  await catalog.current(INDUSTRY);
  await catalog.current(INDUSTRY);
  expect(reads.filter((s) => s === guidelineStream)).toHaveLength(2);

  await catalog.follow();
  reads.length = 0;
  expect((await catalog.currentForDeclaration(INDUSTRY)).guidelineVersion).toBe(1);
  await catalog.current(INDUSTRY);
  expect(reads).toEqual([]);

  catalog.stopFollowing();
  await catalog.current(INDUSTRY);
  expect(reads).toEqual([guidelineStream]);
});

it('puts a version in force at once on the replica that issues it, and through its subscription on another', async () => {
  const here = new GuidelineCatalog(counting(stores[0]), clock);
  const there = new GuidelineCatalog(counting(stores[1]), clock);
  // As the module wires it: the other replica's read model passes on the versions it reads from the log.
  const thereReadModel = new ReopeningReadModel({ store: stores[1], db: database.db, onGuidelineIssued: (g) => there.learn(g) });
  await here.follow();
  await there.follow();
  thereReadModel.start();
  const before = (await here.current(INDUSTRY)).guidelineVersion;

  await here.issue(ctx(commission), INDUSTRY, { title: 'Second edition', measures: measures(['staggered-entry']) });
  reads.length = 0;
  expect(await here.current(INDUSTRY)).toMatchObject({ guidelineVersion: before + 1, title: 'Second edition' });
  expect(reads).toEqual([]);

  // The other replica learns it once its read model has read the log that far (its queries wait for that too).
  await thereReadModel.placeOf(creditCode(99)); // a query: it waits until the read model has read the log as it is now
  expect(await there.current(INDUSTRY)).toMatchObject({ guidelineVersion: before + 1, title: 'Second edition' });
  expect(reads).toEqual([]);

  await thereReadModel.stop();
  here.stopFollowing();
  there.stopFollowing();
});

it('declares reading the enterprise stream once at most, and answers an unknown enterprise 404 without appending', async () => {
  const catalog = new GuidelineCatalog(counting(stores[0]), clock);
  await catalog.follow();
  const commands = new EnterpriseCommands(counting(stores[0]), catalog, clock);
  const [first, second] = [creditCode(1), creditCode(2)];
  for (const code of [first, second]) {
    await commands.register(ctx(commission), {
      creditCode: code,
      name: `Spec Software ${code.slice(-4)}`,
      industryCode: INDUSTRY,
      size: 'small',
      districtCode: '310105',
      subdistrictCode: '310105002',
      usualHeadcount: 20,
    });
  }
  const guideline = await catalog.currentForDeclaration(INDUSTRY);
  const declaration = (declarationId: string) => ({
    declarationId,
    plannedReopeningDate: '2020-02-14',
    checklist: guideline.measures.map((measureCode) => ({ measureCode, inPlace: true })),
    workforcePlan: { onSite: 10, rotating: 5, remote: 5 },
    returneesInObservation: 0,
  });
  reads.length = 0;

  // Registered by this replica: its state is kept, so the declaration reads nothing.
  expect(await commands.declare(ctx({ sub: first, role: 'enterprise' }), first, declaration('d-1'))).toMatchObject({ eventsAppended: 1, version: 1 });
  expect(reads).toEqual([]);

  // Another replica reads the stream once, for the industry and the decision both.
  const other = new EnterpriseCommands(counting(stores[1]), catalog, clock);
  expect(await other.declare(ctx({ sub: second, role: 'enterprise' }), second, declaration('d-2'))).toMatchObject({ eventsAppended: 1, version: 1 });
  expect(reads).toEqual([enterpriseReopeningStreams.enterprise(second)]);

  const unknown = creditCode(3);
  await expect(other.declare(ctx({ sub: unknown, role: 'enterprise' }), unknown, declaration('d-3'))).rejects.toBeInstanceOf(NotFoundError);
  expect(await stores[0].readStream(enterpriseReopeningStreams.enterprise(unknown))).toEqual([]);
  catalog.stopFollowing();
});
