import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@city/eventsourcing';

const DISTRICTS = ['310101', '310104', '310105', '310106', '310107'];

/** `count` events on `streams` canvass streams, appended stream by stream; resolves to their ids in order. */
export async function appendCanvassEvents(
  store: EventStore,
  count: number,
  options: { streams?: number; prefix?: string; poison?: (i: number) => boolean } = {},
): Promise<string[]> {
  const streams = options.streams ?? 20;
  const prefix = options.prefix ?? 'canvass.unit-';
  const perStream = new Map<number, NewEvent[]>();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = i % streams;
    const eventId = randomUUID();
    ids.push(eventId);
    const district = DISTRICTS[s % DISTRICTS.length];
    const event: NewEvent = {
      eventId,
      type: i % 3 === 0 ? 'UnitRegistered' : 'CanvassVisitRecorded',
      schemaVersion: 1,
      data: { unitId: `u-${s}`, districtCode: district, seq: i, ...(options.poison?.(i) ? { poison: true } : {}) },
      metadata: { correlationId: `corr-${i}`, causationId: `cmd-${i}`, district, actorId: 'official-1', actorRole: 'field-official' },
    };
    let list = perStream.get(s);
    if (!list) perStream.set(s, (list = []));
    list.push(event);
  }
  // Append in slices so the global order interleaves streams.
  for (let offset = 0; ; offset += 10) {
    let any = false;
    for (const [s, list] of perStream) {
      const slice = list.slice(offset, offset + 10);
      if (slice.length === 0) continue;
      any = true;
      await store.appendToStream(`${prefix}${s}`, slice, 'any');
    }
    if (!any) break;
  }
  return ids;
}
