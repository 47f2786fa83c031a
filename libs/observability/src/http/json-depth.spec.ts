import { jsonDepthExceeds } from './json-depth';

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds('{"a":"[[[[{{{{\\"[[[["}', 1)).toBe(false);
  });
  it('finds a body 3,500 levels deep in bytes', () => {
    expect(jsonDepthExceeds(Buffer.from(`${'['.repeat(3500)}${']'.repeat(3500)}`), 32)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from(`{"findings":${'{"a":'.repeat(3500)}1${'}'.repeat(3501)}`), 32)).toBe(true);
  });
  it('reads flat scalars', () => expect(jsonDepthExceeds('42', 0)).toBe(false));
});
