import type { ValidationError as ClassValidationError } from 'class-validator';
import { fieldMessages } from './validation-pipe';

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
