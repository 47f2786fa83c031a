import { PgliteDatabase } from '@city/sql';
import { eventually } from '@city/testing';
import { ManualClock } from './clock';
import { CommandScheduler, type DueCommand } from './command-scheduler';

// PGlite's WASM start-up alone takes half a minute on a loaded 2-core machine.
jest.setTimeout(120000);

// Embedded mode: one process on PGlite leads by itself; a restart is a new scheduler on the same data.
it('fires a due command once on PGlite, across a restart of the scheduler', async () => {
  const db = new PgliteDatabase();
  const clock = new ManualClock('2026-08-01T00:00:00.000Z');
  const issued: DueCommand[] = [];
  const make = () =>
    new CommandScheduler({ db, service: 'enterprise-reopening', clock, pollIntervalMs: 10 }).register('MarkAppealOverdue', async (c) => void issued.push(c));
  try {
    const first = make();
    await first.start();
    await first.schedule({ scheduleId: 'appeal-1-overdue', kind: 'MarkAppealOverdue', dueAt: '2026-08-08T00:00:00.000Z', payload: { appealId: '1' } });
    await first.stop();

    clock.set('2026-08-08T00:00:01.000Z');
    const second = make();
    await second.start();
    await eventually(async () => ((await second.get('appeal-1-overdue'))?.status === 'fired' ? true : undefined));
    expect(await second.fireDue()).toBe(0);
    await second.stop();
    expect(issued.map((c) => [c.scheduleId, c.payload, c.issuedAt.toISOString()])).toEqual([
      ['appeal-1-overdue', { appealId: '1' }, '2026-08-08T00:00:01.000Z'],
    ]);
  } finally {
    await db.close();
  }
});
