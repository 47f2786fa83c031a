import { createHmac } from 'node:crypto';
import { newDataKey, open, randomBytesFromPool, seal, travellerIdOf } from './privacy-keys';

describe('privacy keys', () => {
  it('draws random bytes from the pool once each, in the sizes asked, across refills', () => {
    const seen = new Set<string>();
    // 3,000 draws of 12 and 32 bytes span many 4 KiB refills; any byte handed out twice would repeat a value.
    for (let i = 0; i < 3000; i++) {
      const size = i % 2 === 0 ? 12 : 32;
      const bytes = randomBytesFromPool(size);
      expect(bytes.length).toBe(size);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(3000);
    expect(randomBytesFromPool(10_000).length).toBe(10_000);
    expect(newDataKey().length).toBe(32);
  });

  it('keeps the bytes it handed out when the pool moves on', () => {
    const key = newDataKey();
    const copy = Buffer.from(key);
    for (let i = 0; i < 500; i++) randomBytesFromPool(32);
    expect(key.equals(copy)).toBe(true);
  });

  it('seals under a fresh IV each time, and opens only with the same key and binding', () => {
    const key = newDataKey();
    const a = seal(key, Buffer.from('张三'), 't/r1');
    const b = seal(key, Buffer.from('张三'), 't/r1');
    expect(a).not.toBe(b);
    expect(open(key, a, 't/r1').toString()).toBe('张三');
    expect(() => open(key, a, 't/r2')).toThrow();
    expect(() => open(newDataKey(), a, 't/r1')).toThrow();
  });

  it('derives the traveller id as HMAC-SHA256 keyed by the secret string (the id of every stored stream)', () => {
    const secret = 'the-traveller-id-secret-0123456789';
    const expected = createHmac('sha256', secret).update('resident-id:11010519491231002X').digest('hex').slice(0, 32);
    expect(travellerIdOf(secret, 'resident-id', ' 11010519491231002x ')).toBe(expected);
    expect(travellerIdOf(`${secret}!`, 'resident-id', '11010519491231002X')).not.toBe(expected);
  });
});
