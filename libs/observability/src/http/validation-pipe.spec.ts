import { IsString } from 'class-validator';
import { ValidationError } from '@city/eventsourcing';
import type { ValidationError as ClassValidationError } from 'class-validator';
import { cityValidationPipe, fieldMessages } from './validation-pipe';

describe('fieldMessages', () => {
  it('flattens nested and array errors into dotted paths', () => {
    const errors = [
      { property: 'name', constraints: { isString: 'name must be a string' }, children: [] },
      {
        property: 'members',
        children: [{ property: '0', children: [{ property: 'phone', constraints: { matches: 'phone is invalid' }, children: [] }] }],
      },
    ] as unknown as ClassValidationError[];
    expect(fieldMessages(errors)).toEqual({ name: ['name must be a string'], 'members.0.phone': ['phone is invalid'] });
  });
});

describe('cityValidationPipe', () => {
  class Visit {
    @IsString() note!: string;
  }
  const body = { type: 'body', metatype: Visit } as const;

  it.each([
    ['__proto__', '{"__proto__":{"isAdmin":true},"note":"x"}', '__proto__'],
    ['constructor', '{"constructor":{"prototype":{"isAdmin":true}},"note":"x"}', 'constructor'],
    ['a nested __proto__', '{"note":"x","deep":[{"__proto__":{}}]}', 'deep.0.__proto__'],
  ])('refuses %s as an unknown field (JSON.parse keeps it, class-transformer would drop it unseen)', async (_what, json, field) => {
    const refused = await cityValidationPipe()
      .transform(JSON.parse(json), body)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(Object.keys((refused as ValidationError).fields)).toContain(field);
  });

  it('lets a clean body through as an instance', async () => {
    await expect(cityValidationPipe().transform({ note: 'x' }, body)).resolves.toBeInstanceOf(Visit);
  });
});
