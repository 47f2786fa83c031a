import { POLICY_RELIEF_EVENT_SAMPLES, type PolicyReliefEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { FigureCell } from '../../read-model/figures/figure-store';
import { foldPolicyReliefFigures } from './policy-relief-figures';
import { policyReliefDeltas } from './policy-relief.projection';

const recorded = (event: PolicyReliefEvent, streamVersion: number): RecordedEvent<PolicyReliefEvent> => ({
  ...event,
  eventId: `e-${streamVersion}`,
  schemaVersion: 1,
  metadata: { correlationId: 'c', causationId: 'c' },
  streamId: 'policy-relief.application-M01-91310105MA1FL0XQ2P',
  streamVersion,
  globalPosition: BigInt(streamVersion),
  recordedAt: '2020-02-12T09:30:00.000Z',
});
const S = POLICY_RELIEF_EVENT_SAMPLES;
const submitted = recorded(S.ReliefApplicationSubmitted, 0);
const approved = recorded(S.ReliefApplicationApproved, 1);
const paid = recorded(S.ReliefDisbursed, 2);
const rejected = recorded(S.ReliefApplicationRejected, 1);
const committed = recorded(S.ReliefBudgetCommitted, 0);

/** Sums the deltas per figure and dim, as the figure storage does for one area and day. */
const cellsOf = (events: RecordedEvent<PolicyReliefEvent>[]): FigureCell[] => {
  const sums = new Map<string, number>();
  for (const d of events.flatMap(policyReliefDeltas)) sums.set(`${d.figure}|${d.dim}`, (sums.get(`${d.figure}|${d.dim}`) ?? 0) + d.value);
  return [...sums].map(([key, value]) => {
    const [figure, dim] = key.split('|');
    return { area: '310105', figure, dim, total: value, today: value };
  });
};

describe('policy-relief figures', () => {
  it('counts an eligible application as an application waiting for a decision, on its measure', () => {
    const f = foldPolicyReliefFigures(cellsOf([submitted]));
    expect(f.applications.total).toBe(1);
    expect(f.waiting).toBe(1);
    expect(f.byMeasure.find((m) => m.measureId === 'M01')).toMatchObject({ applications: 1, approvals: 0, budgetFen: 80_000_000_000 });
  });

  it('counts an approval and its money against the measure and its area; the payment gives the days to money', () => {
    const f = foldPolicyReliefFigures(cellsOf([submitted, approved, paid]));
    expect(f).toMatchObject({ waiting: 0, approvals: { total: 1 }, grantedFen: { total: 7_200_000 }, disbursedFen: { total: 7_200_000 } });
    expect(f.byMeasure.find((m) => m.measureId === 'M01')).toMatchObject({ approvals: 1, grantedFen: 7_200_000, disbursedFen: 7_200_000 });
    expect(f.byArea.find((a) => a.area === 'lighter-burden')).toMatchObject({ approvals: 1, grantedFen: 7_200_000 });
    // Submitted 12 Feb 09:30, paid 20 Feb 11:00: eight whole days.
    expect(f.daysToMoney).toEqual({ paid: 1, median: 8, p90: 8 });
  });

  it('counts a rejection, and no longer waiting; budget events change no figure', () => {
    const f = foldPolicyReliefFigures(cellsOf([submitted, rejected, committed]));
    expect(f).toMatchObject({ waiting: 0, rejections: { total: 1 }, approvals: { total: 0 }, grantedFen: { total: 0 } });
    expect(policyReliefDeltas(committed)).toEqual([]);
  });
});
