import { StreamStateCache } from './stream-state-cache';

describe('StreamStateCache', () => {
  it('keeps at most its capacity, dropping the least recently used stream', () => {
    const cache = new StreamStateCache<string>(2);
    cache.set('a', { version: 0, state: 'A' });
    cache.set('b', { version: 0, state: 'B' });
    cache.get('a'); // now b is the least recently used
    cache.set('c', { version: 0, state: 'C' });
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual({ version: 0, state: 'A' });
    expect(cache.get('c')).toEqual({ version: 0, state: 'C' });
  });

  it('past a larger capacity drops the least recently used tenth at once, keeping the recent ones', () => {
    const cache = new StreamStateCache<number>(100);
    for (let i = 0; i < 100; i++) cache.set(`s-${i}`, { version: 0, state: i });
    cache.get('s-0');
    cache.set('s-100', { version: 0, state: 100 });
    expect(cache.size).toBe(90);
    expect(cache.get('s-0')?.state).toBe(0);
    expect(cache.get('s-1')).toBeUndefined();
    expect(cache.get('s-11')).toBeUndefined();
    expect(cache.get('s-12')?.state).toBe(12);
    expect(cache.get('s-100')?.state).toBe(100);
  });

  it('replaces an entry in place and forgets on delete', () => {
    const cache = new StreamStateCache<string>(2);
    cache.set('a', { version: 0, state: 'A' });
    cache.set('a', { version: 1, state: 'A2' });
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toEqual({ version: 1, state: 'A2' });
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new StreamStateCache(0)).toThrow(/positive integer/);
  });
});
