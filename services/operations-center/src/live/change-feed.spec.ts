import { firstValueFrom, take, toArray } from 'rxjs';
import { DISTRICT_CODES } from '@city/contracts';
import type { SqlDatabase } from '@city/sql';
import { ChangeFeed, RESUMED, type ChangeNotice } from './change-feed';

/** A database whose LISTEN the test drives: it delivers payloads and reports a resumed connection. */
function fakeDatabase() {
  const driver: { notify?: (payload: string) => void; resume?: () => void } = {};
  const db = {
    listen: async (_channel: string, onNotify: (payload: string) => void, onResumed?: () => void) => {
      driver.notify = onNotify;
      driver.resume = onResumed;
      return async () => undefined;
    },
  } as unknown as SqlDatabase;
  return { db, driver };
}

describe('ChangeFeed', () => {
  it('passes on the districts a projection notified, and ignores payloads that are not notices', async () => {
    const { db, driver } = fakeDatabase();
    const feed = new ChangeFeed();
    await feed.listen(db);
    const received = firstValueFrom(feed.notices.pipe(take(1), toArray()));
    driver.notify?.('not json');
    driver.notify?.(JSON.stringify({ projection: 'ops-canvass', districts: ['310105', 7] }));
    expect(await received).toEqual<ChangeNotice[]>([{ projection: 'ops-canvass', districts: ['310105'] }]);
    await feed.close();
  });

  it('after the listening connection comes back, tells that every district may have changed', async () => {
    const { db, driver } = fakeDatabase();
    const feed = new ChangeFeed();
    await feed.listen(db);
    const received = firstValueFrom(feed.notices.pipe(take(1)));
    driver.resume?.();
    expect(await received).toEqual({ projection: RESUMED, districts: DISTRICT_CODES });
    await feed.close();
  });
});
