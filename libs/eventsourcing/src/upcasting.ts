import type { RecordedEvent } from './event';
import type { EventStore, ReadAllOptions, ReadStreamOptions, SubscribeToAllOptions, Subscription } from './event-store';

/**
 * Turns a stored event of `type` at `fromVersion` into the same fact at
 * `fromVersion + 1`. Stored events are never rewritten; upcasters run on read.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: object): object;
}

/** Applies upcasters repeatedly until the event is at its newest version. */
export class UpcasterChain {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[]) {
    for (const u of upcasters) {
      const key = `${u.type}@${u.fromVersion}`;
      if (this.byKey.has(key)) throw new Error(`Two upcasters for ${key}`);
      this.byKey.set(key, u);
    }
  }

  upcast<E extends RecordedEvent>(event: E): E {
    let current: RecordedEvent = event;
    for (let u = this.byKey.get(`${current.type}@${current.schemaVersion}`); u; u = this.byKey.get(`${current.type}@${current.schemaVersion}`)) {
      current = { ...current, data: u.upcast(current.data), schemaVersion: current.schemaVersion + 1 };
    }
    return current as E;
  }
}

/** Wraps a store so that every read returns upcast events; writes pass through. */
export function withUpcasting(store: EventStore, chain: UpcasterChain): EventStore {
  const up = (events: RecordedEvent[]) => events.map((e) => chain.upcast(e));
  return {
    appendToStream: (s, e, v) => store.appendToStream(s, e, v),
    readStream: async (s: string, o?: ReadStreamOptions) => up(await store.readStream(s, o)),
    readAll: async (o?: ReadAllOptions) => up(await store.readAll(o)),
    subscribeToAll: (o: SubscribeToAllOptions): Subscription =>
      store.subscribeToAll({ ...o, onEvents: (events) => o.onEvents(up([...events])) }),
    headPosition: () => store.headPosition(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
