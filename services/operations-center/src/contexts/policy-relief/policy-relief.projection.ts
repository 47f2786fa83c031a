import { POLICY_RELIEF_EVENT_TYPES, type PolicyReliefEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { FigureProjection, unhandledEvent } from '../../read-model/figures/figure-projection';
import type { FigureDelta } from '../../read-model/figures/figure-store';
import { PolicyReliefFigure } from './policy-relief-figures';

/** The key of policy-relief in the figure tables and in every answer. */
export const POLICY_RELIEF_CONTEXT = 'policyRelief';

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

/** The figure deltas of one event. */
export function policyReliefDeltas(event: RecordedEvent<PolicyReliefEvent>): FigureDelta[] {
  const e = { type: event.type, data: event.data } as PolicyReliefEvent;
  const { districtCode, subdistrictCode } = e.data;
  switch (e.type) {
    case 'PolicyReliefCaseOpened': {
      const place = { districtCode, subdistrictCode, occurredAt: e.data.openedAt, dim: '' };
      return [
        { ...place, figure: PolicyReliefFigure.casesOpened, value: 1 },
        { ...place, figure: PolicyReliefFigure.openCases, value: 1 },
      ];
    }
    case 'PolicyReliefCaseClosed': {
      const place = { districtCode, subdistrictCode, occurredAt: e.data.closedAt, dim: '' };
      return [
        { ...place, figure: PolicyReliefFigure.casesClosed, value: 1 },
        { ...place, figure: PolicyReliefFigure.openCases, value: -1 },
      ];
    }
    default:
      return unhandledEvent(e);
  }
}
