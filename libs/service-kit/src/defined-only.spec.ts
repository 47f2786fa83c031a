import { definedOnly } from './defined-only';

describe('definedOnly', () => {
  it('keeps defined values, including falsy ones', () => expect(definedOnly({ a: 0, b: false, c: '', d: null })).toEqual({ a: 0, b: false, c: '', d: null }));
  it('drops keys whose value is undefined', () => expect(Object.keys(definedOnly({ a: 1, b: undefined }))).toEqual(['a']));
  it('lets a default stand when spread over it', () => expect({ port: 80, ...definedOnly({ port: undefined as number | undefined }) }).toEqual({ port: 80 }));
});
