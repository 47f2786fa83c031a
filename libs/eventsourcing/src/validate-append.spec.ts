import { ValidationError } from './errors';
import { validateAppend } from './validate-append';

const good = {
  eventId: '6F1C6C1E-8C3A-4B8E-9A2B-0C1D2E3F4A5B',
  type: 'T',
  schemaVersion: 1,
  data: { a: 1 },
  metadata: { correlationId: 'c', causationId: 'c' },
};

describe('validateAppend', () => {
  it('accepts a valid append, lower-cases the id and serialises the JSON once', () => {
    const [event] = validateAppend('s', [good], 'any');
    expect(event).toMatchObject({ eventId: good.eventId.toLowerCase(), dataJson: '{"a":1}', metadataJson: JSON.stringify(good.metadata) });
  });

  it.each([
    ['streamId', () => validateAppend('  ', [good], 'any')],
    ['events', () => validateAppend('s', [], 'any')],
    ['events[0].eventId', () => validateAppend('s', [{ ...good, eventId: 'x' }], 'any')],
    ['events[1].eventId', () => validateAppend('s', [good, { ...good, eventId: good.eventId.toLowerCase() }], 'any')],
    ['events[0].type', () => validateAppend('s', [{ ...good, type: 42 }], 'any')],
    ['events[0].schemaVersion', () => validateAppend('s', [{ ...good, schemaVersion: 1.5 }], 'any')],
    ['events[0].data', () => validateAppend('s', [{ ...good, data: { n: 1n } }], 'any')],
    ['events[0].metadata.actorId', () => validateAppend('s', [{ ...good, metadata: { ...good.metadata, actorId: 7 } }], 'any')],
    ['expectedVersion', () => validateAppend('s', [good], 1.5)],
  ])('reports %s', (field, run) => {
    try {
      run();
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).fields)).toContain(field);
    }
  });
});
