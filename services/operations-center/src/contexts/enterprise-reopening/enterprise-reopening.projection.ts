import { ENTERPRISE_REOPENING_EVENT_TYPES, type EnterpriseReopeningEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { FigureProjection, unhandledEvent } from '../../read-model/figures/figure-projection';
import type { FigureDelta } from '../../read-model/figures/figure-store';
import { EnterpriseReopeningFigure } from './enterprise-reopening-figures';

/** The key of enterprise-reopening in the figure tables and in every answer. */
export const ENTERPRISE_REOPENING_CONTEXT = 'enterpriseReopening';

/** The enterprise-reopening figures of the city and district read models, in the shared figure storage (read-model/figures/). */
export class EnterpriseReopeningProjection extends FigureProjection<EnterpriseReopeningEvent> {
  constructor() {
    super({
      name: 'ops-enterprise-reopening',
      context: ENTERPRISE_REOPENING_CONTEXT,
      handles: ENTERPRISE_REOPENING_EVENT_TYPES,
      deltas: async (_tx, events) => events.map(enterpriseReopeningDeltas),
    });
  }
}

/** The figure deltas of one event. */
export function enterpriseReopeningDeltas(event: RecordedEvent<EnterpriseReopeningEvent>): FigureDelta[] {
  const e = { type: event.type, data: event.data } as EnterpriseReopeningEvent;
  switch (e.type) {
    case 'EnterpriseRegistered': {
      const place = { districtCode: e.data.districtCode, subdistrictCode: e.data.subdistrictCode, occurredAt: e.data.registeredAt, dim: '' };
      return [{ ...place, figure: EnterpriseReopeningFigure.registered, value: 1 }];
    }
    case 'EnterpriseReopened': {
      const place = { districtCode: e.data.districtCode, subdistrictCode: e.data.subdistrictCode, occurredAt: e.data.reportedAt, dim: '' };
      return [{ ...place, figure: EnterpriseReopeningFigure.reopened, value: 1 }];
    }
    case 'IndustryGuidelineIssued':
    case 'ReopeningDeclared':
    case 'InspectionRecorded':
    case 'RectificationSubmitted':
    case 'DailyWorkforceReported':
    case 'SurveyAnswered':
    case 'AppealFiled':
    case 'AppealEscalated':
    case 'AppealAnswered':
    case 'AppealClosed':
    case 'AppealReopened':
      return [];
    default:
      return unhandledEvent(e);
  }
}
