import { ENTERPRISE_REOPENING_EVENT_SAMPLES, ENTERPRISE_REOPENING_EVENT_TYPES, type EnterpriseReopeningEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { FigureCell } from '../../read-model/figures/figure-store';
import { foldEnterpriseReopeningDay, foldEnterpriseReopeningFigures } from './enterprise-reopening-figures';
import { enterpriseReopeningDeltas } from './enterprise-reopening.projection';

const recorded = (event: EnterpriseReopeningEvent, streamVersion = 0): RecordedEvent<EnterpriseReopeningEvent> => ({
  ...event,
  eventId: `e-${streamVersion}`,
  schemaVersion: 1,
  metadata: { correlationId: 'c', causationId: 'c' },
  streamId: 'enterprise-reopening.enterprise-91310105MA1FL3KX0K',
  streamVersion,
  globalPosition: BigInt(streamVersion),
  recordedAt: '2020-02-12T09:30:00.000Z',
});
const S = ENTERPRISE_REOPENING_EVENT_SAMPLES;
const other = (industryCode: string): EnterpriseReopeningEvent => ({ type: 'EnterpriseRegistered', data: { ...S.EnterpriseRegistered.data, industryCode } });

/** Sums the deltas per figure and dim, as the figure storage does for one area on one day. */
const cellsOf = (events: EnterpriseReopeningEvent[]): FigureCell[] => {
  const sums = new Map<string, number>();
  for (const d of events.map((e, i) => recorded(e, i)).flatMap(enterpriseReopeningDeltas)) {
    const key = `${d.figure}|${d.dim}`;
    sums.set(key, (sums.get(key) ?? 0) + d.value);
  }
  return [...sums].map(([key, value]) => {
    const [figure, dim] = key.split('|');
    return { area: '310105', figure, dim, total: value, today: value };
  });
};

describe('enterprise-reopening figures', () => {
  it('gives the reopening rate of the area and of each industry', () => {
    const f = foldEnterpriseReopeningFigures(cellsOf([S.EnterpriseRegistered, other('catering'), S.EnterpriseReopened]));
    expect(f).toMatchObject({ registered: 2, reopened: 1, reopeningRate: 0.5 });
    expect(f.byIndustry['software-it-services']).toEqual({ registered: 1, reopened: 1, reopeningRate: 1 });
    expect(f.byIndustry.catering).toEqual({ registered: 1, reopened: 0, reopeningRate: 0 });
    expect(f.byIndustry.hotels.reopeningRate).toBeNull();
  });

  it('sets the on-site workforce against the usual headcount of the reopened, a correction replacing the first report', () => {
    const first = S.DailyWorkforceReported;
    const correction: EnterpriseReopeningEvent = {
      type: 'DailyWorkforceReported',
      data: { ...first.data, onSiteHeadcount: 43, revision: 2, previousOnSiteHeadcount: 38, previousCapacityPercent: 50 },
    };
    const f = foldEnterpriseReopeningFigures(cellsOf([S.EnterpriseRegistered, S.EnterpriseReopened, first, correction]));
    expect(f.workforce).toEqual({ usualHeadcount: 86, onSiteToday: 43, onSiteShare: 0.5, reportsToday: 1 });
  });

  it('counts inspections by outcome, and appeals open by department until answered', () => {
    const f = foldEnterpriseReopeningFigures(cellsOf([S.InspectionRecorded, S.AppealFiled]));
    expect(f.inspections.byOutcome.passed).toEqual({ today: 1, total: 1 });
    expect(f.appeals).toMatchObject({ open: 1, openByDepartment: { 'human-resources-social-security': 1 } });
    expect(foldEnterpriseReopeningFigures(cellsOf([S.AppealFiled, S.AppealAnswered])).appeals.open).toBe(0);
    expect(foldEnterpriseReopeningFigures(cellsOf([S.AppealFiled, S.AppealAnswered, S.AppealReopened])).appeals.open).toBe(1);
  });

  it('folds a day of the series from its sums and levels', () => {
    const day = foldEnterpriseReopeningDay(
      new Map([
        ['on_site_headcount', 120],
        ['declarations', 3],
      ]),
      new Map([
        ['enterprises_registered', 10],
        ['enterprises_reopened', 8],
        ['appeals_overdue', 2],
      ]),
    );
    expect(day).toEqual({ registered: 10, reopened: 8, reopeningRate: 0.8, onSite: 120, declarations: 3, inspections: 0, appealsOpen: 0, appealsOverdue: 2 });
  });

  it('handles every event type of the topic', () => {
    for (const type of ENTERPRISE_REOPENING_EVENT_TYPES) expect(() => enterpriseReopeningDeltas(recorded(S[type]))).not.toThrow();
  });
});
