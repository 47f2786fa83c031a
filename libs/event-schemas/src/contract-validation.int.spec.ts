import { randomUUID } from 'node:crypto';
import { CANVASS_EVENT_SAMPLES, canvassStreams, type CanvassEventType } from '@city/contracts';
import { PostgresEventStore } from '@city/event-store-postgres';
import { UnknownEventTypeError, ValidationError, type EventStore, type NewEvent } from '@city/eventsourcing';
import { httpErrorOf } from '@city/observability';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { withContractValidation } from './contract-validation';

/**
 * The producer's half of the contract on the real PostgreSQL event store: an
 * event whose data breaks its JSON Schema is refused at append with a 400 and
 * its reason, and nothing of that append is stored.
 */

// The integration project's testTimeout is not applied per project by Jest 30: set it here.
jest.setTimeout(60000);

let database: TestDatabase;
let inner: PostgresEventStore;
let store: EventStore;

beforeAll(async () => {
  database = await createTestDatabase('contract_validation');
  inner = new PostgresEventStore(database.db);
  await inner.migrate();
  store = withContractValidation(inner);
});

afterAll(async () => {
  await inner?.close();
  await database?.drop();
});

function event<T extends CanvassEventType>(type: T, data: object = CANVASS_EVENT_SAMPLES[type].data, schemaVersion = 1): NewEvent {
  return { eventId: randomUUID(), type, schemaVersion, data, metadata: { correlationId: 'corr-1', causationId: 'cmd-1' } };
}

async function refusal(append: Promise<unknown>): Promise<Error> {
  const outcome = await append.then(
    () => undefined,
    (error: Error) => error,
  );
  if (!outcome) throw new Error('the append was accepted');
  return outcome;
}

it('appends events whose data keeps its contract', async () => {
  const stream = canvassStreams.unit(randomUUID());
  await store.appendToStream(stream, [event('UnitRegistered'), event('CanvassVisitRecorded')], 'no_stream');
  expect((await inner.readStream(stream)).map((e) => e.type)).toEqual(['UnitRegistered', 'CanvassVisitRecorded']);
});

it('refuses an append with an event whose data breaks its schema: 400 with the reason, nothing stored', async () => {
  const stream = canvassStreams.unit(randomUUID());
  const head = await inner.headPosition();
  const visit = CANVASS_EVENT_SAMPLES.CanvassVisitRecorded.data;
  const broken = { ...visit, findings: { ...visit.findings, tenantsOpened: -1 }, extra: true };

  const error = await refusal(store.appendToStream(stream, [event('UnitRegistered'), event('CanvassVisitRecorded', broken)], 'no_stream'));

  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).fields).toEqual({ 'findings.tenantsOpened': ['must be >= 0'], extra: ["must NOT have additional property 'extra'"] });
  const { status, body } = httpErrorOf(error);
  expect(status).toBe(400);
  expect(body).toMatchObject({ error: 'invalid', message: expect.stringMatching(/^CanvassVisitRecorded v1 data breaks its contract/) });
  // Not even the valid first event of the append is stored.
  expect(await inner.readStream(stream)).toEqual([]);
  expect(await inner.headPosition()).toBe(head);
});

it('refuses an event type or version without a contract: 400, nothing stored', async () => {
  const stream = canvassStreams.unit(randomUUID());
  for (const unknown of [{ ...event('UnitRegistered'), type: 'UnitPainted' }, event('UnitRegistered', undefined, 2)]) {
    const error = await refusal(store.appendToStream(stream, [unknown], 'any'));
    expect(error).toBeInstanceOf(UnknownEventTypeError);
    expect(httpErrorOf(error).status).toBe(400);
  }
  expect(await inner.readStream(stream)).toEqual([]);
});
