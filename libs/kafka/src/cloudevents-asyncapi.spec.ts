/**
 * The CloudEvents headers that the relay sends (toCloudEventKafkaMessage) are what
 * the AsyncAPI documents in @city/contracts promise, message by message.
 */
import { readFileSync } from 'fs';
import { Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { CANVASS_EVENT_SAMPLES, CANVASS_EVENT_TYPES, CANVASS_TOPIC, canvassStreams, eventContractOf, readContractFiles } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { toCloudEventKafkaMessage } from './cloudevents';

jest.setTimeout(60_000);

describe('canvass messages describe what the relay sends', () => {
  let document: AsyncAPIDocumentInterface;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);

  beforeAll(async () => {
    const path = readContractFiles().topics.find((t) => t.topic === CANVASS_TOPIC)?.asyncApiPath as string;
    document = (await new Parser().parse(readFileSync(path, 'utf8'), { source: path })).document as AsyncAPIDocumentInterface;
  });

  const recorded = (type: (typeof CANVASS_EVENT_TYPES)[number]): RecordedEvent => ({
    eventId: '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    type,
    schemaVersion: 1,
    data: CANVASS_EVENT_SAMPLES[type].data,
    metadata: {
      correlationId: 'req-7c1d',
      causationId: 'cmd-2a9e',
      district: CANVASS_EVENT_SAMPLES[type].data.districtCode,
      actorId: 'official-pt-sql-0118',
      actorRole: 'field-official',
    },
    streamId: canvassStreams.unit('a3e1c7d2-48b9-4f60-b1d5-7c2e9f08a4b6'),
    streamVersion: 3,
    globalPosition: 1234567890123n,
    recordedAt: '2020-02-12T06:40:00.123Z',
  });

  it.each(CANVASS_EVENT_TYPES.map((t) => [t]))("%s: the headers of toCloudEventKafkaMessage satisfy its headers schema, another type's do not", (type) => {
    const message = document.messages().get(type);
    const validate = ajv.compile(message?.headers()?.json() as object);
    const sent = toCloudEventKafkaMessage(recorded(type), { source: '/city/canvass', dataschema: (e) => eventContractOf(e.type, e.schemaVersion)?.schema.$id });
    expect({ valid: validate(sent.headers), errors: validate.errors }).toEqual({ valid: true, errors: null });

    const other = CANVASS_EVENT_TYPES.find((t) => t !== type) as string;
    expect(validate({ ...sent.headers, ce_type: `city.canvass.${other}.v1` })).toBe(false);
    const { ce_id: _id, ...withoutId } = sent.headers;
    expect(validate(withoutId)).toBe(false);
    expect(validate({ ...sent.headers, ce_position: '-1' })).toBe(false);
  });
});
