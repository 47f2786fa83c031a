import { UpcasterChain, withUpcasting } from './upcasting';
import { InMemoryEventStore } from './testing';

const metadata = { correlationId: 'c', causationId: 'c' };

describe('upcasting on read', () => {
  // v1 had `count`; v2 renamed it to `households`; v3 added `unit` with a default.
  const chain = new UpcasterChain([
    { type: 'Visited', fromVersion: 1, upcast: (d) => ({ households: (d as { count: number }).count }) },
    { type: 'Visited', fromVersion: 2, upcast: (d) => ({ ...d, unit: 'unknown' }) },
  ]);

  it('brings an old event to the newest version, one step at a time', async () => {
    const raw = new InMemoryEventStore();
    await raw.appendToStream('s', [{ eventId: 'e1', type: 'Visited', schemaVersion: 1, data: { count: 3 }, metadata }], 'no_stream');
    const store = withUpcasting(raw, chain);
    const [event] = await store.readStream('s');
    expect(event.schemaVersion).toBe(3);
    expect(event.data).toEqual({ households: 3, unit: 'unknown' });
    const [stored] = await raw.readStream('s');
    expect(stored.data).toEqual({ count: 3 }); // stored events are never rewritten
  });

  it('leaves current and unrelated events alone', async () => {
    const raw = new InMemoryEventStore();
    await raw.appendToStream('s', [{ eventId: 'e1', type: 'Other', schemaVersion: 1, data: { x: 1 }, metadata }], 'no_stream');
    const [event] = await withUpcasting(raw, chain).readAll();
    expect(event.data).toEqual({ x: 1 });
    expect(event.schemaVersion).toBe(1);
  });

  it('refuses two upcasters for the same type and version', () => {
    expect(() => new UpcasterChain([
      { type: 'A', fromVersion: 1, upcast: (d) => d },
      { type: 'A', fromVersion: 1, upcast: (d) => d },
    ])).toThrow('Two upcasters for A@1');
  });
});
