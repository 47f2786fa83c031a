import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@city/eventsourcing';
import { RecentLog } from './recent-log';

const event = (position: number, streamId = `s.${position}`): RecordedEvent => ({
  eventId: randomUUID(),
  type: 'Seen',
  schemaVersion: 1,
  data: {},
  metadata: { correlationId: 'c', causationId: 'c' },
  streamId,
  streamVersion: 0,
  globalPosition: BigInt(position),
  recordedAt: '2020-02-10T00:00:00.000Z',
});
const batch = (from: number, to: number, prefix = 's.') => Array.from({ length: to - from + 1 }, (_, i) => event(from + i, `${prefix}${from + i}`));
const positions = (page: ReturnType<RecentLog['page']>) => page?.events.map((e) => Number(e.globalPosition));

describe('RecentLog', () => {
  it('given nothing appended, when a reader at the highest head known asks, then it is at the head; beyond it, the server is read', () => {
    const log = new RecentLog(100);
    expect(log.page(0n, 10, undefined)).toEqual({ events: [], nextAfter: 0n, atHead: true });
    log.heard(7n);
    expect(log.page(7n, 10, undefined)).toEqual({ events: [], nextAfter: 7n, atHead: true });
    expect(log.page(3n, 10, undefined)).toBeUndefined();
  });

  it('given consecutive batches, when a page is asked from inside them, then it is answered to the end, at the head', () => {
    const log = new RecentLog(100);
    log.appended(batch(11, 15));
    log.appended(batch(16, 18));
    expect(log.page(12n, 10, undefined)).toMatchObject({ nextAfter: 18n, atHead: true });
    expect(positions(log.page(12n, 10, undefined))).toEqual([13, 14, 15, 16, 17, 18]);
    expect(positions(log.page(10n, 10, undefined))).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
    expect(log.page(18n, 10, undefined)).toEqual({ events: [], nextAfter: 18n, atHead: true });
  });

  it('given a page limit, when more events follow, then the page ends at its last event and not at the head', () => {
    const log = new RecentLog(100);
    log.appended(batch(1, 5));
    expect(log.page(0n, 2, undefined)).toMatchObject({ nextAfter: 2n, atHead: false });
    expect(log.page(3n, 2, undefined)).toMatchObject({ nextAfter: 5n, atHead: true });
  });

  it('given a stream prefix, when a page is asked, then only its events come and the page still reaches the end', () => {
    const log = new RecentLog(100);
    log.appended([...batch(1, 2, 'a.'), ...batch(3, 4, 'b.')]);
    expect(log.page(0n, 10, 'a.')).toMatchObject({ nextAfter: 4n, atHead: true });
    expect(positions(log.page(0n, 10, 'a.'))).toEqual([1, 2]);
  });

  it('given a batch that does not continue the run, when a page is asked from before it, then the server is read', () => {
    const log = new RecentLog(100);
    log.appended(batch(1, 5));
    log.appended(batch(8, 9)); // 6 and 7 were appended by someone else
    expect(log.page(4n, 10, undefined)).toBeUndefined();
    expect(positions(log.page(7n, 10, undefined))).toEqual([8, 9]);
  });

  it('given a head heard beyond the run, when a reader is at its end, then the server is read, and inside it the page is not at the head', () => {
    const log = new RecentLog(100);
    log.appended(batch(1, 5));
    log.heard(7n);
    expect(log.page(5n, 10, undefined)).toBeUndefined();
    expect(log.page(3n, 10, undefined)).toMatchObject({ nextAfter: 5n, atHead: false });
  });

  it('given more events than its capacity, when a page is asked from before the oldest kept, then the server is read', () => {
    const log = new RecentLog(3);
    log.appended(batch(1, 5));
    expect(log.page(1n, 10, undefined)).toBeUndefined();
    expect(positions(log.page(2n, 10, undefined))).toEqual([3, 4, 5]);
  });

  it('given no capacity, when events are appended, then nothing is kept', () => {
    const log = new RecentLog(0);
    log.appended(batch(1, 5));
    expect(log.page(0n, 10, undefined)).toBeUndefined();
  });
});
