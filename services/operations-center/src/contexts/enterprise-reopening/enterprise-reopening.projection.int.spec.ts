import { ENTERPRISE_REOPENING_EVENT_SAMPLES as S, type EnterpriseReopeningEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { createTestDatabase, type TestDatabase } from '@city/testing';
import { liveAsOf, pastAsOf } from '../../read-model/as-of';
import { OperationsReadModel } from '../../read-model/operations-read-model';
import { contextProjections } from '../../testing/context-projections';
import type { EnterpriseReopeningFigures } from './enterprise-reopening-figures';
import { enterpriseReopeningReadModel } from './enterprise-reopening-read-model';

/** The enterprise-reopening projection on real PostgreSQL: figures by district and city, as of a past instant, redelivery, overdue appeals. */
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
});
