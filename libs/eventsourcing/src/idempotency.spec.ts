import { differingFields, idempotencyKeyReused, sameInstant } from './idempotency';

describe('differingFields', () => {
  it('finds nothing in equal bodies', () => expect(differingFields({ a: 1, b: [{ c: 'x' }] }, { a: 1, b: [{ c: 'x' }] })).toEqual([]));
  it('names a changed nested field', () => expect(differingFields({ f: { a: 1, b: 2 } }, { f: { a: 1, b: 3 } })).toEqual(['f.b']));
  it('names an added or missing field', () => expect(differingFields({ a: 1 }, { a: 1, note: 'x' })).toEqual(['note']));
  it('names an array of another length', () => expect(differingFields({ p: [1] }, { p: [1, 2] })).toEqual(['p']));
  it('names an array item', () => expect(differingFields({ p: [{ c: 'a' }] }, { p: [{ c: 'b' }] })).toEqual(['p.0.c']));
  it('names the body when its type differs', () => expect(differingFields(1, 'x')).toEqual(['(body)']));
});

describe('sameInstant', () => {
  it('reads offsets', () => expect(sameInstant('2020-02-12T09:30:00+08:00', '2020-02-12T01:30:00Z')).toBe(true));
  it('tells moments apart', () => expect(sameInstant('2020-02-12T09:30:00+08:00', '2020-02-12T09:30:00Z')).toBe(false));
});

describe('idempotencyKeyReused', () => {
  it('is the 409 rule idempotency-key-reused, naming the id and the fields', () => {
    const error = idempotencyKeyReused('Declaration', 'decl-1', ['plannedReopeningDate', 'workforcePlan.onSite']);
    expect(error.rule).toBe('idempotency-key-reused');
    expect(error.message).toBe(
      'Declaration decl-1 is already recorded with a different plannedReopeningDate, workforcePlan.onSite: resend the same body to retry, or use a new id',
    );
  });
});
