import {
  CANVASS_EVENT_SAMPLES,
  CANVASS_EVENT_TYPES,
  CANVASS_TOPIC,
  canvassStreams,
  eventCatalog,
  eventContractOf,
  eventTypesOfTopic,
  isKnownEventType,
  knownEventTypes,
  latestEventContractOf,
  readContractFiles,
  TOPICS,
} from '@city/contracts';
import { ValidationError, UnknownEventTypeError } from '@city/eventsourcing';
import { assertValidEventData, validateEventData, validateMessageKey } from './event-schemas';

const visit = CANVASS_EVENT_SAMPLES.CanvassVisitRecorded.data;

describe('event catalog of @city/contracts', () => {
  it('knows exactly the canvass event types, at version 1, on canvass.events.v1', () => {
    expect(eventTypesOfTopic(CANVASS_TOPIC)).toEqual([...CANVASS_EVENT_TYPES].sort());
    for (const type of CANVASS_EVENT_TYPES) {
      expect(latestEventContractOf(type)?.schemaVersion).toBe(1);
      expect(eventContractOf(type, 1)?.topic).toBe(CANVASS_TOPIC);
      expect(isKnownEventType(type)).toBe(true);
      expect(isKnownEventType(type, 1)).toBe(true);
      expect(isKnownEventType(type, 2)).toBe(false);
      expect(eventContractOf(type, 1)?.schema.$id).toBe(`https://schemas.city-ops.example/canvass/${type}/v1`);
      expect(eventContractOf(type, 1)?.schema.title).toBe(`${type} v1`);
    }
    expect(knownEventTypes()).toEqual(expect.arrayContaining([...CANVASS_EVENT_TYPES]));
  });

  it('has a topic folder for every context in TOPICS and vice versa', () => {
    expect(
      readContractFiles()
        .topics.map((t) => t.topic)
        .sort(),
    ).toEqual(Object.values(TOPICS).sort());
    expect([...eventCatalog().keys.keys()].sort()).toEqual(Object.values(TOPICS).sort());
    expect(knownEventTypes()).toEqual(
      Object.values(TOPICS)
        .flatMap((topic) => eventTypesOfTopic(topic))
        .sort(),
    );
  });

  it('says nothing about a type it does not know', () => {
    expect(isKnownEventType('UnitPainted')).toBe(false);
    expect(eventContractOf('UnitPainted', 1)).toBeUndefined();
    expect(latestEventContractOf('UnitPainted')).toBeUndefined();
    expect(eventTypesOfTopic('nobody.events.v1')).toEqual([]);
  });
});

describe('event schemas', () => {
  it('accepts valid data', () => {
    expect(validateEventData('CanvassVisitRecorded', 1, visit)).toEqual({ valid: true });
    expect(() => assertValidEventData('CanvassVisitRecorded', 1, visit)).not.toThrow();
  });

  it('lists every error with its path', () => {
    const bad = {
      ...visit,
      districtCode: '999999',
      standingIn: 'yes',
      findings: { ...visit.findings, tenantsOpened: -1, problems: [{ category: 'noise' }] },
      extra: 1,
    };
    const result = validateEventData('CanvassVisitRecorded', 1, bad);
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        "/: must NOT have additional property 'extra'",
        '/districtCode: must match pattern "^31\\d{4}$"',
        '/standingIn: must be boolean',
        '/findings/tenantsOpened: must be >= 0',
        expect.stringMatching(/^\/findings\/problems\/0\/category: must be one of prevention-supplies, /),
      ]),
    );
  });

  it('throws a ValidationError with field-level messages for invalid data', () => {
    const { unitId: _dropped, ...withoutUnit } = visit;
    let thrown: unknown;
    try {
      assertValidEventData('CanvassVisitRecorded', 1, { ...withoutUnit, findings: { ...visit.findings, note: '' }, extra: true });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const fields = (thrown as ValidationError).fields;
    expect(Object.keys(fields).sort()).toEqual(['extra', 'findings.note', 'unitId']);
    expect(fields.unitId).toEqual(["must have required property 'unitId'"]);
    expect((thrown as ValidationError).message).toMatch(/^CanvassVisitRecorded v1 data breaks its contract/);
  });

  it('refuses data that is not an object', () => {
    expect(validateEventData('UnitRetired', 1, null)).toEqual({ valid: false, errors: ['/: must be object'] });
    expect(() => assertValidEventData('UnitRetired', 1, 'x')).toThrow(ValidationError);
  });

  it('throws UnknownEventTypeError for an unknown type or version', () => {
    expect(() => validateEventData('UnitPainted', 1, {})).toThrow(UnknownEventTypeError);
    expect(() => assertValidEventData('UnitRegistered', 2, {})).toThrow(new UnknownEventTypeError('UnitRegistered', 2));
  });

  it('validates Kafka keys: every canvass stream id, nothing else', () => {
    for (const key of [canvassStreams.district('310105'), canvassStreams.unit('u-1'), canvassStreams.gateShift('s-1')]) {
      expect(validateMessageKey(CANVASS_TOPIC, key)).toEqual({ valid: true });
    }
    expect(validateMessageKey(CANVASS_TOPIC, 'traveller-health.person-1').valid).toBe(false);
    expect(validateMessageKey(CANVASS_TOPIC, 42).valid).toBe(false);
    expect(() => validateMessageKey('nobody.events.v1', 'x')).toThrow();
  });
});
