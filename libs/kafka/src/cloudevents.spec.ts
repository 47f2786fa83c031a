import { CloudEvent, Kafka } from 'cloudevents';
import { UnknownEventTypeError, ValidationError } from '@city/eventsourcing';
import type { RecordedEvent } from '@city/eventsourcing';
import { CE_HEADERS, cloudEventTypeOf, contextOfStream, fromCloudEventKafkaMessage, parseCloudEventType, toCloudEventKafkaMessage } from './cloudevents';
import type { IncomingKafkaMessage } from './cloudevents';

const recorded: RecordedEvent = {
  eventId: '6f1c1a52-4a4b-4c3e-9b7e-2f0d8f3c1a10',
  type: 'UnitRegistered',
  schemaVersion: 2,
  data: { unitId: 'u-1', districtCode: '310105', size: { tenants: 3, shops: 1, households: 40 } },
  metadata: { correlationId: 'corr-1', causationId: 'cmd-1', actorId: 'official-9', actorRole: 'field-official', district: '310105' },
  streamId: 'canvass.unit-u-1',
  streamVersion: 4,
  globalPosition: 9007199254740993n,
  recordedAt: '2026-03-01T08:15:30.123Z',
};

/** What kafkajs hands a consumer: Buffers for the key, value and header values. */
function asReceived(message: { key: string; value: string; headers: Readonly<Record<string, string>> }): IncomingKafkaMessage {
  return {
    key: Buffer.from(message.key),
    value: Buffer.from(message.value),
    headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

function withHeaders(change: (headers: Record<string, string>) => void, value?: string): IncomingKafkaMessage {
  const message = toCloudEventKafkaMessage(recorded, { source: '/city/canvass' });
  const headers = { ...message.headers };
  change(headers);
  return asReceived({ key: message.key, value: value ?? message.value, headers });
}

describe('CloudEvents binary-mode mapping', () => {
  it('maps a recorded event to key, JSON value and ce_ headers', () => {
    const message = toCloudEventKafkaMessage(recorded, { source: '/city/canvass', dataschema: () => 'https://city.example/schemas/UnitRegistered/v2' });

    expect(message.key).toBe('canvass.unit-u-1');
    expect(JSON.parse(message.value)).toEqual(recorded.data);
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: recorded.eventId,
      ce_type: 'city.canvass.UnitRegistered.v2',
      ce_source: '/city/canvass',
      ce_subject: 'canvass.unit-u-1',
      ce_time: '2026-03-01T08:15:30.123Z',
      ce_dataschema: 'https://city.example/schemas/UnitRegistered/v2',
      'content-type': 'application/json',
      ce_district: '310105',
      ce_correlationid: 'corr-1',
      ce_causationid: 'cmd-1',
      ce_actorid: 'official-9',
      ce_actorrole: 'field-official',
      ce_streamversion: '4',
      ce_position: '9007199254740993',
    });
    expect(message.timestamp).toBe(String(Date.parse(recorded.recordedAt)));
  });

  it('round-trips a recorded event through a Kafka message', () => {
    const decoded = fromCloudEventKafkaMessage(asReceived(toCloudEventKafkaMessage(recorded, { source: '/city/canvass' })));

    expect(decoded).toEqual({ ...recorded, context: 'canvass', source: '/city/canvass' });
  });

  it('leaves optional metadata out when the event has none', () => {
    const bare: RecordedEvent = { ...recorded, metadata: { correlationId: 'c', causationId: 'k' } };
    const message = toCloudEventKafkaMessage(bare, { source: '/city/canvass' });

    expect(Object.keys(message.headers)).not.toEqual(expect.arrayContaining(['ce_district']));
    expect(message.headers.ce_actorid).toBeUndefined();
    expect(fromCloudEventKafkaMessage(asReceived(message)).metadata).toEqual({ correlationId: 'c', causationId: 'k' });
  });

  it('derives context and type names', () => {
    expect(contextOfStream('traveller-health.subject-1.x')).toBe('traveller-health');
    expect(cloudEventTypeOf('canvass', 'UnitRetired', 1)).toBe('city.canvass.UnitRetired.v1');
    expect(parseCloudEventType('city.policy-relief.ReliefGranted.v3')).toEqual({ context: 'policy-relief', type: 'ReliefGranted', schemaVersion: 3 });
    expect(parseCloudEventType('com.example.thing')).toBeUndefined();
  });

  describe('malformed messages raise typed errors', () => {
    it.each([
      ['a missing ce_id', withHeaders((h) => delete h[CE_HEADERS.id])],
      ['a missing ce_position', withHeaders((h) => delete h[CE_HEADERS.position])],
      ['no headers at all', { key: null, value: Buffer.from('{}') }],
      ['a wrong spec version', withHeaders((h) => (h[CE_HEADERS.specversion] = '0.3'))],
      ['bad JSON', withHeaders(() => undefined, '{"unitId": ')],
      ['a JSON array as data', withHeaders(() => undefined, '[1,2]')],
      ['no value', { ...withHeaders(() => undefined), value: null }],
      ['an invalid time', withHeaders((h) => (h[CE_HEADERS.time] = 'yesterday'))],
      ['an empty source', withHeaders((h) => (h[CE_HEADERS.source] = ''))],
      ['a non-numeric stream version', withHeaders((h) => (h[CE_HEADERS.streamVersion] = 'four'))],
      ['a negative position', withHeaders((h) => (h[CE_HEADERS.position] = '-1'))],
      ['a non-JSON content type', withHeaders((h) => (h[CE_HEADERS.contentType] = 'text/plain'))],
      ['a type whose context is not the stream prefix', withHeaders((h) => (h[CE_HEADERS.type] = 'city.policy-relief.UnitRegistered.v1'))],
    ])('%s → ValidationError', (_what, message) => {
      expect(() => fromCloudEventKafkaMessage(message)).toThrow(ValidationError);
    });

    it('names the missing headers field by field', () => {
      try {
        fromCloudEventKafkaMessage(withHeaders((h) => delete h[CE_HEADERS.subject]));
        throw new Error('expected a ValidationError');
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).fields).toEqual({ ce_subject: ['required'] });
      }
    });

    it('a type outside the city convention → UnknownEventTypeError', () => {
      expect(() => fromCloudEventKafkaMessage(withHeaders((h) => (h[CE_HEADERS.type] = 'com.example.Other')))).toThrow(UnknownEventTypeError);
    });

    it('a type the consumer does not know → UnknownEventTypeError', () => {
      const message = asReceived(toCloudEventKafkaMessage(recorded, { source: '/city/canvass' }));
      expect(() => fromCloudEventKafkaMessage(message, { isKnownType: (type, v) => type === 'UnitRegistered' && v === 1 })).toThrow(UnknownEventTypeError);
      expect(fromCloudEventKafkaMessage(message, { isKnownType: (type) => type === 'UnitRegistered' }).type).toBe('UnitRegistered');
    });
  });

  it('refuses to encode an event that makes an invalid envelope', () => {
    expect(() => toCloudEventKafkaMessage({ ...recorded, eventId: '' }, { source: '/city/canvass' })).toThrow(ValidationError);
    expect(() => toCloudEventKafkaMessage({ ...recorded, recordedAt: 'not a time' }, { source: '/city/canvass' })).toThrow(ValidationError);
    expect(() => toCloudEventKafkaMessage(recorded, { source: '' })).toThrow(ValidationError);
  });

  it('refuses an envelope of a shape already validated when what varies is invalid', () => {
    const options = { source: '/city/canvass-shapes' };
    expect(() => toCloudEventKafkaMessage(recorded, options)).not.toThrow();
    expect(() => toCloudEventKafkaMessage({ ...recorded, recordedAt: '2026-13-01T08:15:30.123Z' }, options)).toThrow(ValidationError);
    expect(() => toCloudEventKafkaMessage({ ...recorded, streamId: '' }, options)).toThrow(ValidationError);
    // An extension value the package takes but a header cannot carry is left out, as before.
    const objectDistrict = { ...recorded, metadata: { ...recorded.metadata, district: { code: '310105' } } } as unknown as RecordedEvent;
    expect(toCloudEventKafkaMessage(objectDistrict, options).headers).not.toHaveProperty(CE_HEADERS.district);
  });

  it('sends the headers the package itself maps a validated event to', () => {
    const dataschema = 'https://city.example/schemas/UnitRegistered/v2';
    const message = toCloudEventKafkaMessage(recorded, { source: '/city/canvass', dataschema: () => dataschema });
    const ce = new CloudEvent({
      id: recorded.eventId,
      time: recorded.recordedAt,
      type: 'city.canvass.UnitRegistered.v2',
      source: '/city/canvass',
      subject: recorded.streamId,
      dataschema,
      datacontenttype: 'application/json',
      correlationid: 'corr-1',
      causationid: 'cmd-1',
      streamversion: '4',
      position: '9007199254740993',
      district: '310105',
      actorid: 'official-9',
      actorrole: 'field-official',
      data: recorded.data,
    });
    const binary = Kafka.binary(ce) as { headers: Record<string, string | undefined> };
    // The data content type travels as `content-type` alone.
    const { ce_datacontenttype: contentType, ...sent } = Object.fromEntries(Object.entries(binary.headers).filter(([, v]) => v !== undefined));
    expect(contentType).toBe('application/json');
    expect(message.headers).toEqual(sent);
  });
});
