import { POLICY_RELIEF_EVENT_TYPES, type PolicyReliefEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { FigureProjection, unhandledEvent } from '../../read-model/figures/figure-projection';
import type { FigureDelta } from '../../read-model/figures/figure-store';
import { PolicyReliefFigure } from './policy-relief-figures';

/** The key of policy-relief in the figure tables and in every answer. */
export const POLICY_RELIEF_CONTEXT = 'policyRelief';

const DAY_MS = 86_400_000;

/** The policy-relief figures of the city and district read models, in the shared figure storage (read-model/figures/). */
export class PolicyReliefProjection extends FigureProjection<PolicyReliefEvent> {
  constructor() {
    super({
      name: 'ops-policy-relief',
      context: POLICY_RELIEF_CONTEXT,
      handles: POLICY_RELIEF_EVENT_TYPES,
      deltas: async (_tx, events) => events.map(policyReliefDeltas),
    });
  }
}

/** The figure deltas of one event; `dim` is the measure. */
export function policyReliefDeltas(event: RecordedEvent<PolicyReliefEvent>): FigureDelta[] {
  const e = { type: event.type, data: event.data } as PolicyReliefEvent;
  switch (e.type) {
    case 'ReliefApplicationSubmitted': {
      const at = place(e.data, e.data.submittedAt);
      const eligible = e.data.eligibility.eligible;
      return [
        { ...at, figure: PolicyReliefFigure.applications, value: 1 },
        eligible ? { ...at, figure: PolicyReliefFigure.waiting, value: 1 } : { ...at, figure: PolicyReliefFigure.ineligible, value: 1 },
      ];
    }
    case 'ReliefApplicationWithdrawn': {
      const at = place(e.data, e.data.withdrawnAt);
      return [
        { ...at, figure: PolicyReliefFigure.withdrawals, value: 1 },
        { ...at, figure: PolicyReliefFigure.waiting, value: -1 },
      ];
    }
    case 'ReliefApplicationApproved': {
      const at = place(e.data, e.data.approvedAt);
      return [
        { ...at, figure: PolicyReliefFigure.approvals, value: 1 },
        { ...at, figure: PolicyReliefFigure.waiting, value: -1 },
        { ...at, figure: PolicyReliefFigure.grantedFen, value: e.data.grantedFen },
      ];
    }
    case 'ReliefApplicationRejected': {
      const at = place(e.data, e.data.rejectedAt);
      return [
        { ...at, figure: PolicyReliefFigure.rejections, value: 1 },
        { ...at, figure: PolicyReliefFigure.waiting, value: -1 },
      ];
    }
    case 'ReliefDisbursed': {
      const at = place(e.data, e.data.recordedAt);
      const deltas: FigureDelta[] = [{ ...at, figure: PolicyReliefFigure.disbursedFen, value: e.data.amountFen }];
      // The first payment of an application ends its wait for money.
      if (e.data.totalDisbursedFen === e.data.amountFen) {
        const days = Math.max(0, Math.floor((Date.parse(e.data.recordedAt) - Date.parse(e.data.submittedAt)) / DAY_MS));
        deltas.push({ ...at, figure: PolicyReliefFigure.daysToMoney, dim: String(days), value: 1 });
      }
      return deltas;
    }
    // The budget ledger belongs to no district: the figures count grants against budgets from the approvals.
    case 'ReliefBudgetCommitted':
    case 'ReliefBudgetReleased':
      return [];
    default:
      return unhandledEvent(e);
  }
}

function place(d: { districtCode: string; subdistrictCode: string; measureId: string }, occurredAt: string) {
  return { districtCode: d.districtCode, subdistrictCode: d.subdistrictCode, occurredAt, dim: d.measureId };
}
