/**
 * Each AsyncAPI document under contracts/topics parses with the official parser
 * (relative $refs resolved from the file), has no error diagnostics, and describes
 * exactly the event types whose schemas live in its topic folder, with the key and
 * CloudEvents headers that the relay really sends (contracts/src/cloudevents.ts).
 */
import { readFileSync } from 'fs';
import { Parser, type AsyncAPIDocumentInterface, type Diagnostic } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { RecordedEvent } from '@city/eventsourcing';
import { CANVASS_EVENT_SAMPLES, CANVASS_EVENT_TYPES, canvassStreams } from './canvass';
import { toCloudEventKafkaMessage } from './cloudevents';
import { contractFiles } from './contract-test-support';
import { eventSchemaId, eventTypesOfTopic, latestSchemaVersion } from './schema-registry';

jest.setTimeout(60_000);

const ERROR = 0; // Spectral's DiagnosticSeverity.Error
const errorsOf = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === ERROR).map((d) => `${d.code} ${d.message} at ${d.path.join('.')}`);

async function parse(path: string, text = readFileSync(path, 'utf8')) {
  return new Parser().parse(text, { source: path });
}

it('every topic folder has an AsyncAPI document', () => {
  expect(contractFiles.topics.length).toBeGreaterThan(0);
  for (const topic of contractFiles.topics) expect(topic.asyncApiPath).toBeDefined();
});

describe.each(contractFiles.topics.map((t) => [t.topic, t] as const))('AsyncAPI document of %s', (topic, files) => {
  let document: AsyncAPIDocumentInterface;

  beforeAll(async () => {
    const { document: parsed, diagnostics } = await parse(files.asyncApiPath as string);
    expect(errorsOf(diagnostics)).toEqual([]);
    expect(parsed).toBeDefined();
    document = parsed as AsyncAPIDocumentInterface;
  });

  it('is AsyncAPI 3.0.0 with one Kafka channel whose address is the topic', () => {
    expect(document.version()).toBe('3.0.0');
    const channels = document.channels().all();
    expect(channels.map((c) => c.address())).toEqual([topic]);
    const kafka = channels[0].bindings().get('kafka')?.value() as { topic: string; partitions: number; replicas: number };
    expect(kafka.topic).toBe(topic);
    expect(Number.isInteger(kafka.partitions) && kafka.partitions > 0).toBe(true);
    expect(Number.isInteger(kafka.replicas) && kafka.replicas > 0).toBe(true);
  });

  it('has one message per event type of the topic, carrying the latest schema of that type', () => {
    const messages = document.messages().all();
    expect(messages.map((m) => m.id()).sort()).toEqual([...eventTypesOfTopic(topic)]);
    for (const message of messages) {
      const type = message.id();
      expect(message.name()).toBe(type);
      expect(message.payload()?.id()).toBe(eventSchemaId(type, latestSchemaVersion(type)));
      const binding = message.bindings().get('kafka')?.value() as { key: { $id: string } };
      expect(binding.key.$id).toBe(files.key.schema.$id);
    }
  });

  it('is sent by the producing context and received by the operations center, every message on both sides', () => {
    const operations = document.operations().all();
    expect(operations.map((o) => o.action()).sort()).toEqual(['receive', 'send']);
    for (const operation of operations) {
      expect(operation.channels().all().map((c) => c.address())).toEqual([topic]);
      expect(operation.messages().all().map((m) => m.id()).sort()).toEqual([...eventTypesOfTopic(topic)]);
    }
  });

  it('fails with error diagnostics when a payload $ref points nowhere (the check above can fail)', async () => {
    const text = readFileSync(files.asyncApiPath as string, 'utf8').replace(/\.v1\.schema\.json/, '.v99.schema.json');
    const { diagnostics } = await parse(files.asyncApiPath as string, text);
    expect(errorsOf(diagnostics).length).toBeGreaterThan(0);
  });
});

describe('canvass messages describe what the relay sends', () => {
  let document: AsyncAPIDocumentInterface;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);

  beforeAll(async () => {
    const canvass = contractFiles.topics.find((t) => t.topic === 'canvass.events.v1');
    document = (await parse(canvass?.asyncApiPath as string)).document as AsyncAPIDocumentInterface;
  });

  const recorded = (type: (typeof CANVASS_EVENT_TYPES)[number]): RecordedEvent => ({
    eventId: '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    type,
    schemaVersion: 1,
    data: CANVASS_EVENT_SAMPLES[type].data,
    metadata: { correlationId: 'req-7c1d', causationId: 'cmd-2a9e', district: CANVASS_EVENT_SAMPLES[type].data.districtCode, actorId: 'official-pt-sql-0118', actorRole: 'field-official' },
    streamId: canvassStreams.unit('a3e1c7d2-48b9-4f60-b1d5-7c2e9f08a4b6'),
    streamVersion: 3,
    globalPosition: 1234567890123n,
    recordedAt: '2020-02-12T06:40:00.123Z',
  });

  it.each(CANVASS_EVENT_TYPES.map((t) => [t]))('%s: the headers of toCloudEventKafkaMessage satisfy its headers schema, another type\'s do not', (type) => {
    const message = document.messages().get(type);
    const validate = ajv.compile(message?.headers()?.json() as object);
    const sent = toCloudEventKafkaMessage(recorded(type), { source: '/city/canvass', dataschema: (e) => eventSchemaId(e.type, e.schemaVersion) });
    expect({ valid: validate(sent.headers), errors: validate.errors }).toEqual({ valid: true, errors: null });

    const other = CANVASS_EVENT_TYPES.find((t) => t !== type) as string;
    expect(validate({ ...sent.headers, ce_type: `city.canvass.${other}.v1` })).toBe(false);
    const { ce_id: _id, ...withoutId } = sent.headers;
    expect(validate(withoutId)).toBe(false);
    expect(validate({ ...sent.headers, ce_position: '-1' })).toBe(false);
  });
});
