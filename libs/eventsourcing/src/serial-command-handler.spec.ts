import type { Decider } from './decider';
import { SerialCommandHandler } from './serial-command-handler';
import { InMemoryEventStore } from './testing';

type Cmd = { type: 'Append'; item: string };
type Evt = { type: 'Appended'; data: { item: string } };
const list: Decider<Cmd, Evt, string[]> = {
  initialState: () => [],
  evolve: (s, e) => [...s, e.data.item],
  decide: (c) => [{ type: 'Appended', data: { item: c.item } }],
};
const metadata = { correlationId: 'c-1', causationId: 'c-1' };

describe('SerialCommandHandler', () => {
  it('runs a burst of commands on one stream one after another: none conflicts, the stream is read once', async () => {
    const store = new InMemoryEventStore();
    let reads = 0;
    const readStream = store.readStream.bind(store);
    store.readStream = async (streamId) => {
      reads++;
      return readStream(streamId);
    };
    const handler = new SerialCommandHandler(store, list);
    const items = Array.from({ length: 20 }, (_, i) => `item-${i}`);
    const results = await Promise.all(items.map((item) => handler.handle('list-1', { type: 'Append', item }, { metadata })));
    expect(results.map((r) => r.nextExpectedVersion)).toEqual(items.map((_, i) => i));
    expect((await readStream('list-1')).map((e) => (e.data as { item: string }).item)).toEqual(items);
    expect(reads).toBe(1);
  });
});
