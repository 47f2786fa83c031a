import { ENTERPRISE_REOPENING_EVENT_SAMPLES as S, type EnterpriseReopeningEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { liveAsOf, pastAsOf } from '../../read-model/as-of';
import { OperationsReadModel } from '../../read-model/operations-read-model';
import { contextProjections } from '../../testing/context-projections';
import type { EnterpriseReopeningFigures } from './enterprise-reopening-figures';
import { enterpriseReopeningReadModel } from './enterprise-reopening-read-model';

/** The enterprise-reopening projection on real PostgreSQL: figures by district and city, as of a past instant, redelivery, overdue appeals, open appeals by age. */
describe('EnterpriseReopeningProjection on PostgreSQL', () => {
  let database: TestDatabase;
  const projections = contextProjections(enterpriseReopeningReadModel());
  let seq = 0;
  const recorded = (event: EnterpriseReopeningEvent, eventId = `e-${++seq}`): RecordedEvent => ({
    ...event,
    eventId,
    schemaVersion: 1,
    metadata: { correlationId: 'c', causationId: 'c' },
    streamId: 'enterprise-reopening.enterprise-x',
    streamVersion: seq,
    globalPosition: BigInt(seq),
    recordedAt: '2020-02-13T09:30:00.000Z',
  });
  const apply = (events: readonly RecordedEvent[]) => projections.apply(database.db, events);
  const readModel = () => new OperationsReadModel(database.db, [enterpriseReopeningReadModel()]);
  const figuresOf = async (district: string, asOf = liveAsOf(new Date('2020-02-13T12:00:00+08:00'))) =>
    (await readModel().districtOverview(district, asOf)).figures.enterpriseReopening as EnterpriseReopeningFigures;
  const firm = (creditCode: string, districtCode: string, industryCode: string) => ({
    ...S.EnterpriseRegistered.data,
    creditCode,
    districtCode,
    subdistrictCode: `${districtCode}001`,
    industryCode,
  });

  beforeAll(async () => {
    database = await createTestDatabase('er_ops');
    await projections.migrate(database.db);
  }, 120_000);
  afterAll(() => database?.drop());

  it('gives the reopening rate by district and industry, live and as of before the reopening; redelivery changes nothing', async () => {
    const a = firm('91310105MA1FL3KX0K', '310105', 'software-it-services');
    const b = firm('91350100M000100Y43', '310105', 'catering');
    const c = firm('91110108551385082Q', '310107', 'software-it-services');
    const reopenedA = recorded({
      type: 'EnterpriseReopened',
      data: { ...S.EnterpriseReopened.data, ...a, reopeningStatus: 'reopened', reportedAt: '2020-02-13T08:30:00+08:00' },
    });
    await apply([
      recorded({ type: 'EnterpriseRegistered', data: a }),
      recorded({ type: 'EnterpriseRegistered', data: b }),
      recorded({ type: 'EnterpriseRegistered', data: c }),
      reopenedA,
    ]);
    await apply([reopenedA]);
    const changning = await figuresOf('310105');
    expect(changning).toMatchObject({ registered: 2, reopened: 1, reopeningRate: 0.5 });
    expect(changning.byIndustry['software-it-services']).toEqual({ registered: 1, reopened: 1, reopeningRate: 1 });
    expect(changning.workforce.usualHeadcount).toBe(86);
    expect((await figuresOf('310107')).reopeningRate).toBe(0);
    expect((await figuresOf('310105', pastAsOf(new Date('2020-02-13T08:00:00+08:00')))).reopened).toBe(0);
  });

  it('counts an appeal overdue from its escalation until it is answered', async () => {
    const appeal = { ...S.AppealFiled.data, appealId: 'a-overdue', filedAt: '2020-02-10T11:10:00+08:00', dueAt: '2020-02-13T11:10:00+08:00' };
    await apply([
      recorded({ type: 'AppealFiled', data: appeal }),
      recorded({ type: 'AppealEscalated', data: { ...S.AppealEscalated.data, appealId: 'a-overdue', escalatedAt: '2020-02-13T11:10:05+08:00' } }),
    ]);
    expect((await figuresOf('310105')).appeals).toMatchObject({ open: 1, overdue: 1, overdueByDepartment: { 'human-resources-social-security': 1 } });
    await apply([recorded({ type: 'AppealAnswered', data: { ...S.AppealAnswered.data, appealId: 'a-overdue', answeredAt: '2020-02-13T11:30:00+08:00' } })]);
    expect((await figuresOf('310105')).appeals).toMatchObject({ open: 0, overdue: 0 });
  });

  it('counts open appeals by age and department, live and as of a past instant, from filing or reopening to the answer', async () => {
    // In Putuo, so the appeals of the tests above stay out of it.
    const place = { districtCode: '310107', subdistrictCode: '310107001' };
    const appeal = (appealId: string, filedAt: string, department = 'human-resources-social-security') => ({
      ...S.AppealFiled.data,
      ...place,
      appealId,
      department,
      filedAt,
    });
    const answered = (appealId: string, answeredAt: string) =>
      recorded({ type: 'AppealAnswered', data: { ...S.AppealAnswered.data, ...place, appealId, answeredAt } });
    const filed = (a: ReturnType<typeof appeal>) => recorded({ type: 'AppealFiled', data: a });
    const events = [
      filed(appeal('age-1', '2020-02-13T10:00:00+08:00')), // 2 hours at noon on the 13th
      filed(appeal('age-2', '2020-02-11T10:00:00+08:00', 'finance-bureau')), // 2 days
      filed(appeal('age-3', '2020-02-09T10:00:00+08:00')),
      answered('age-3', '2020-02-10T10:00:00+08:00'),
      // Reopened 16 hours before noon on the 13th: its age counts from the reopening.
      recorded({ type: 'AppealReopened', data: { ...S.AppealReopened.data, ...place, appealId: 'age-3', reopenedAt: '2020-02-12T20:00:00+08:00' } }),
      filed(appeal('age-4', '2020-02-08T10:00:00+08:00')), // 5 days, answered an hour before noon
      answered('age-4', '2020-02-13T11:00:00+08:00'),
    ];
    await apply(events);
    await apply(events.slice(0, 2)); // redelivered: nothing changes

    const live = (await figuresOf('310107')).appeals;
    expect(live.open).toBe(3);
    expect(live.openByAge).toEqual({ under1Day: 2, from1To3Days: 1, over3Days: 0 });
    expect(live.openByDepartmentAndAge).toEqual({
      'human-resources-social-security': { under1Day: 2, from1To3Days: 0, over3Days: 0 },
      'finance-bureau': { under1Day: 0, from1To3Days: 1, over3Days: 0 },
    });
    // Noon on the 12th: age-1 not filed yet, age-3 answered and not yet reopened, age-4 waiting for 4 days.
    const before = (await figuresOf('310107', pastAsOf(new Date('2020-02-12T12:00:00+08:00')))).appeals;
    expect(before.open).toBe(2);
    expect(before.openByAge).toEqual({ under1Day: 0, from1To3Days: 1, over3Days: 1 });

    const at = liveAsOf(new Date('2020-02-13T12:00:00+08:00'));
    const city = (await readModel().cityOverview(at)).city.enterpriseReopening as EnterpriseReopeningFigures;
    expect(city.appeals.openByAge.under1Day).toBeGreaterThanOrEqual(2);
    const subdistrict = (await readModel().subdistricts('310107', at)).subdistricts.find((s) => s.code === '310107001');
    expect((subdistrict?.figures.enterpriseReopening as EnterpriseReopeningFigures).appeals.openByAge).toEqual(live.openByAge);
  });
});
