import type { RecordedEvent } from '@city/eventsourcing';
import { PgliteDatabase } from '@city/sql';
import { WorkListProjection } from './work-list-read-model';

/** The work list's projection on PGlite: a run of pushes is one statement, and it must say what the pushes one by one would. */

let db: PgliteDatabase;
const projection = new WorkListProjection();
beforeAll(async () => {
  db = new PgliteDatabase();
  await projection.migrate(db);
}, 120_000);
afterAll(() => db?.close());

let position = 0n;
function recorded(type: string, data: object): RecordedEvent {
  position++;
  return {
    type,
    data,
    metadata: {},
    eventId: `e${position}`,
    streamId: 's',
    streamVersion: Number(position),
    globalPosition: position,
    recordedAt: '2020-02-10T00:00:00Z',
  } as unknown as RecordedEvent;
}
const place = (committeeCode: string) => ({ districtCode: '310105', subdistrictCode: '310105002', committeeCode });
const push = (travellerId: string, committeeCode: string, firedRuleIds: string[], pushedAt: string) =>
  recorded('KeyPersonPushed', { ...place(committeeCode), travellerId, registrationId: `r-${pushedAt}`, ruleSetVersion: '2020-02-10', firedRuleIds, pushedAt });

it('applies a run of pushes as the pushes one by one: the latest per person, observation state reset, other events in order', async () => {
  await db.transaction((tx) =>
    projection.apply(tx, [
      push('a', '310105002003', ['R1'], '2020-02-10T01:00:00Z'),
      push('b', '310105002003', ['R2'], '2020-02-10T01:00:01Z'),
      recorded('HomeObservationStarted', {
        ...place('310105002003'),
        travellerId: 'a',
        firstDay: '2020-02-10',
        releaseDay: '2020-02-24',
        startedAt: '2020-02-10T02:00:00Z',
      }),
      recorded('ObservationFlagRaised', { ...place('310105002003'), travellerId: 'a' }),
      // Pushed again twice in one run: the latest wins, the observation and its flag are reset.
      push('a', '310105002004', ['R1'], '2020-02-11T01:00:00Z'),
      push('c', '310105002003', [], '2020-02-11T01:00:01Z'),
      push('a', '310105002005', ['R2', 'R3'], '2020-02-11T01:00:02Z'),
    ]),
  );
  const { rows } = await db.query<Record<string, unknown>>(
    'SELECT traveller_id, committee_code, status, fired_rule_ids, pushed_at, first_day, open_flags FROM th_work_list ORDER BY traveller_id',
  );
  expect(rows).toEqual([
    {
      traveller_id: 'a',
      committee_code: '310105002005',
      status: 'pushed',
      fired_rule_ids: ['R2', 'R3'],
      pushed_at: '2020-02-11T01:00:02Z',
      first_day: null,
      open_flags: 0,
    },
    {
      traveller_id: 'b',
      committee_code: '310105002003',
      status: 'pushed',
      fired_rule_ids: ['R2'],
      pushed_at: '2020-02-10T01:00:01Z',
      first_day: null,
      open_flags: 0,
    },
    {
      traveller_id: 'c',
      committee_code: '310105002003',
      status: 'pushed',
      fired_rule_ids: [],
      pushed_at: '2020-02-11T01:00:01Z',
      first_day: null,
      open_flags: 0,
    },
  ]);
});
