import { Registry, type Metric } from 'prom-client';
import { CommandHandler, RuleViolationError, assertNever, type Decider } from '@city/eventsourcing';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgDatabase } from '@city/sql';
import { createTestDatabase, eventually, type TestDatabase } from '@city/testing';
import { ManualClock } from './clock';
import { eventIdOfCommand } from './command-id';
import { CommandScheduler, SingleProcessLeadership, type CommandSchedulerOptions, type DueCommand } from './command-scheduler';

jest.setTimeout(60000);

// A day-15 release, as traveller-health will schedule it: the command that the clock issues.
type ReleaseFromQuarantine = {
  readonly type: 'ReleaseFromQuarantine';
  readonly data: { readonly travellerId: string; readonly dueAt: string; readonly releasedAt: string };
};
type TravellerReleased = {
  readonly type: 'TravellerReleased';
  readonly data: { readonly travellerId: string; readonly dueAt: string; readonly releasedAt: string };
};
type ReleaseState = { readonly status: 'quarantined' } | { readonly status: 'released' };

const releaseDecider: Decider<ReleaseFromQuarantine, TravellerReleased, ReleaseState> = {
  initialState: () => ({ status: 'quarantined' }),
  evolve: (_state, event) => {
    switch (event.type) {
      case 'TravellerReleased':
        return { status: 'released' };
      default:
        return assertNever(event.type, 'event');
    }
  },
  // Released already: nothing to do (a second issue of the same command is a no-op).
  decide: (command, state) => (state.status === 'released' ? [] : [{ type: 'TravellerReleased', data: command.data }]),
};

type ReleasePayload = { readonly travellerId: string };

let test: TestDatabase;
/** Each test is a service of its own: its rows and its leader lock are apart from the other tests'. */
let service: string;
beforeEach(() => {
  service = `traveller-health-${id()}`;
});
let store: PostgresEventStore;
const open: { scheduler: CommandScheduler; db: PgDatabase }[] = [];

beforeAll(async () => {
  test = await createTestDatabase('scheduler');
  store = new PostgresEventStore(test.db, { pollIntervalMs: 50 });
  await store.migrate();
});

afterAll(async () => {
  await Promise.allSettled(
    open.map(async ({ scheduler, db }) => {
      await scheduler.stop();
      await db.close();
    }),
  );
  await store.close();
  await test.drop();
});

/** One replica of a service: its own connection pool, its own scheduler, the shared event store. */
function replica(clock: ManualClock, issued: DueCommand<ReleasePayload>[], options: Partial<CommandSchedulerOptions> = {}, hang = false): CommandScheduler {
  const db = new PgDatabase(test.url);
  const handler = new CommandHandler(store, releaseDecider);
  const scheduler = new CommandScheduler({ db, service, clock, pollIntervalMs: 20, ...options }).register<ReleasePayload>(
    'ReleaseFromQuarantine',
    async (command) => {
      issued.push(command);
      await handler.handle(
        streamOf(command.payload.travellerId),
        {
          type: 'ReleaseFromQuarantine',
          data: { travellerId: command.payload.travellerId, dueAt: command.dueAt.toISOString(), releasedAt: command.issuedAt.toISOString() },
        },
        { metadata: { correlationId: command.commandId, causationId: command.commandId }, eventId: (i) => eventIdOfCommand(command.commandId, i) },
      );
      if (hang) await new Promise(() => undefined); // the process dies here: the command is issued, not yet marked fired
    },
  );
  open.push({ scheduler, db });
  return scheduler;
}

const streamOf = (travellerId: string) => `traveller-health.traveller-${travellerId}`;
const id = () => Math.random().toString(36).slice(2, 10);

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name) as Metric | undefined;
  const { values } = await metric!.get();
  return values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value;
}

it('issues a command due while the service was down exactly once, after a restart, as an ordinary command', async () => {
  const clock = new ManualClock('2026-03-01T08:00:00.000Z');
  const issued: DueCommand<ReleasePayload>[] = [];
  const traveller = id();
  const dueAt = '2026-03-15T00:00:00.000Z';

  const before = replica(clock, issued);
  await before.start();
  await expect(
    before.schedule({ scheduleId: `release-${traveller}`, kind: 'ReleaseFromQuarantine', dueAt, payload: { travellerId: traveller } }),
  ).resolves.toBe(true);
  // Scheduled twice (a retried request): one schedule, the first one.
  await expect(
    before.schedule({
      scheduleId: `release-${traveller}`,
      kind: 'ReleaseFromQuarantine',
      dueAt: '2026-03-20T00:00:00.000Z',
      payload: { travellerId: traveller },
    }),
  ).resolves.toBe(false);
  expect(await before.fireDue()).toBe(0); // not due yet
  await before.stop();

  // Down across the due time; a new process starts on the same database.
  clock.set('2026-03-15T00:00:05.000Z');
  const after = replica(clock, issued);
  await after.start();
  await eventually(async () => ((await after.get(`release-${traveller}`))?.status === 'fired' ? true : undefined));

  // And once more a restart after it fired: nothing is issued again.
  await after.stop();
  const again = replica(clock, issued);
  await again.start();
  expect(await again.fireDue()).toBe(0);
  await again.stop();

  expect(issued.map((c) => c.scheduleId)).toEqual([`release-${traveller}`]);
  const events = await store.readStream(streamOf(traveller));
  expect(events.map((e) => [e.type, e.data])).toEqual([['TravellerReleased', { travellerId: traveller, dueAt, releasedAt: '2026-03-15T00:00:05.000Z' }]]);
  expect(events[0].metadata.causationId).toBe(issued[0].commandId);
  expect(await again.get(`release-${traveller}`)).toMatchObject({ status: 'fired', attempts: 1, firedAt: new Date('2026-03-15T00:00:05.000Z') });
});

it('fires a due command once with two replicas on one database', async () => {
  const clock = new ManualClock('2026-04-01T00:00:00.000Z');
  const issued: DueCommand<ReleasePayload>[] = [];
  const a = replica(clock, issued);
  const b = replica(clock, issued);
  const travellers = Array.from({ length: 12 }, id);
  for (const t of travellers)
    await a.schedule({ scheduleId: `release-${t}`, kind: 'ReleaseFromQuarantine', dueAt: '2026-03-31T23:00:00.000Z', payload: { travellerId: t } });
  await Promise.all([a.start(), b.start()]);
  await eventually(async () => ((await Promise.all(travellers.map((t) => a.get(`release-${t}`)))).every((s) => s?.status === 'fired') ? true : undefined));
  expect([await a.fireDue(), await b.fireDue()]).toEqual([0, 0]);
  await Promise.all([a.stop(), b.stop()]);

  expect(issued.map((c) => c.scheduleId).sort()).toEqual(travellers.map((t) => `release-${t}`).sort());
  for (const t of travellers) expect(await store.readStream(streamOf(t))).toHaveLength(1);
});

it('does not issue a claimed command twice even when two replicas both believe they lead (a lock hand-over)', async () => {
  const clock = new ManualClock('2026-04-02T00:00:00.000Z');
  const issued: DueCommand<ReleasePayload>[] = [];
  const a = replica(clock, issued, { leadership: new SingleProcessLeadership() });
  const b = replica(clock, issued, { leadership: new SingleProcessLeadership() });
  await a.migrate();
  const travellers = Array.from({ length: 20 }, id);
  for (const t of travellers)
    await a.schedule({ scheduleId: `release-${t}`, kind: 'ReleaseFromQuarantine', dueAt: '2026-04-01T00:00:00.000Z', payload: { travellerId: t } });
  const fired = await Promise.all([a.fireDue(), b.fireDue(), a.fireDue(), b.fireDue()]);
  expect(fired.reduce((x, y) => x + y, 0)).toBe(20);
  expect(issued.map((c) => c.scheduleId).sort()).toEqual(travellers.map((t) => `release-${t}`).sort());
});

it('issues again with the same command id when a replica died after issuing and before marking fired; the effect happens once', async () => {
  const clock = new ManualClock('2026-05-01T00:00:00.000Z');
  const issued: DueCommand<ReleasePayload>[] = [];
  const traveller = id();
  const dying = replica(clock, issued, { claimLeaseMs: 30_000, leadership: new SingleProcessLeadership() }, true);
  await dying.migrate();
  await dying.schedule({
    scheduleId: `release-${traveller}`,
    kind: 'ReleaseFromQuarantine',
    dueAt: '2026-05-01T00:00:00.000Z',
    payload: { travellerId: traveller },
  });
  void dying.fireDue(); // never returns: the handler "dies" after the append
  await eventually(async () => ((await store.readStream(streamOf(traveller))).length === 1 ? true : undefined));

  // Within the claim's lease nobody takes it; after it, the next replica does.
  const next = replica(clock, issued, { claimLeaseMs: 30_000, leadership: new SingleProcessLeadership() });
  expect(await next.fireDue()).toBe(0);
  clock.advance(30_001);
  expect(await next.fireDue()).toBe(1);

  expect(issued).toHaveLength(2);
  expect(issued[1].commandId).toBe(issued[0].commandId);
  expect(await store.readStream(streamOf(traveller))).toHaveLength(1);
  expect((await next.get(`release-${traveller}`))?.status).toBe('fired');
});

it('retries a failing command with backoff, then parks it with its error, counted and visible', async () => {
  const clock = new ManualClock('2026-06-01T00:00:00.000Z');
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'traveller-health' });
  const db = new PgDatabase(test.url);
  let calls = 0;
  const scheduler = new CommandScheduler({
    db,
    service,
    clock,
    registry,
    leadership: new SingleProcessLeadership(),
    maxRetries: 2,
    retryDelayMs: { initial: 1000, max: 1000 },
  })
    .register('FlagMissedCheckIn', async () => {
      calls++;
      throw new Error('event store unavailable');
    })
    .register('ReleaseFromQuarantine', async () => {
      throw new RuleViolationError('traveller-unknown', 'No such traveller');
    });
  open.push({ scheduler, db });
  await scheduler.migrate();
  const flag = `missed-${id()}`;
  const release = `release-${id()}`;
  await scheduler.schedule({ scheduleId: flag, kind: 'FlagMissedCheckIn', dueAt: '2026-06-01T00:00:00.000Z', payload: {} });
  await scheduler.schedule({ scheduleId: release, kind: 'ReleaseFromQuarantine', dueAt: '2026-06-01T00:00:00.000Z', payload: {} });
  expect(await metricValue(registry, 'city_scheduled_commands_due', { command: 'FlagMissedCheckIn' })).toBe(1);

  await scheduler.fireDue();
  expect(calls).toBe(1);
  await scheduler.fireDue(); // the backoff has not passed: no second attempt yet
  expect(calls).toBe(1);
  expect(await scheduler.get(flag)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: event store unavailable' });
  for (let attempt = 2; attempt <= 3; attempt++) {
    clock.advance(1000);
    await scheduler.fireDue();
    expect(calls).toBe(attempt);
  }
  clock.advance(60_000);
  await scheduler.fireDue();
  expect(calls).toBe(3); // 1 + 2 retries, then parked

  // A rule violation is deterministic: parked at the first attempt.
  expect((await scheduler.parked()).map((p) => [p.scheduleId, p.attempts, p.lastError]).sort()).toEqual(
    [
      [flag, 3, 'Error: event store unavailable'],
      [release, 1, 'RuleViolationError: No such traveller'],
    ].sort(),
  );
  expect(await metricValue(registry, 'city_scheduled_commands_total', { command: 'FlagMissedCheckIn', outcome: 'retried' })).toBe(2);
  expect(await metricValue(registry, 'city_scheduled_commands_total', { command: 'FlagMissedCheckIn', outcome: 'parked' })).toBe(1);
  expect(await metricValue(registry, 'city_scheduled_commands_parked', { command: 'FlagMissedCheckIn' })).toBe(1);
  expect(await metricValue(registry, 'city_scheduled_commands_due', { command: 'FlagMissedCheckIn' })).toBe(0);
  expect(await registry.metrics()).toContain('city_scheduled_commands_total{command="FlagMissedCheckIn",outcome="parked",service="traveller-health"} 1');
});

it('does not issue a cancelled command, and refuses a kind no handler issues', async () => {
  const clock = new ManualClock('2026-07-01T00:00:00.000Z');
  const issued: DueCommand<ReleasePayload>[] = [];
  const scheduler = replica(clock, issued, { leadership: new SingleProcessLeadership() });
  await scheduler.migrate();
  const traveller = id();
  await scheduler.schedule({
    scheduleId: `release-${traveller}`,
    kind: 'ReleaseFromQuarantine',
    dueAt: '2026-07-02T00:00:00.000Z',
    payload: { travellerId: traveller },
  });
  await expect(scheduler.cancel(`release-${traveller}`)).resolves.toBe(true);
  await expect(scheduler.cancel(`release-${traveller}`)).resolves.toBe(false);
  clock.advance(2 * 86_400_000);
  expect(await scheduler.fireDue()).toBe(0);
  expect(issued).toHaveLength(0);
  expect((await scheduler.get(`release-${traveller}`))?.status).toBe('cancelled');
  await expect(scheduler.schedule({ scheduleId: 'x', kind: 'Nope', dueAt: '2026-07-03T00:00:00.000Z', payload: {} })).rejects.toThrow('No handler');
});
