import { TRAVELLER_HEALTH_EVENT_TYPES, type TravellerHealthEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { FigureProjection, unhandledEvent } from '../../read-model/figures/figure-projection';
import type { FigureDelta } from '../../read-model/figures/figure-store';
import { TravellerHealthFigure } from './traveller-health-figures';

/** The key of traveller-health in the figure tables and in every answer. */
export const TRAVELLER_HEALTH_CONTEXT = 'travellerHealth';

/** The traveller-health figures of the city and district read models, in the shared figure storage (read-model/figures/). */
export class TravellerHealthProjection extends FigureProjection<TravellerHealthEvent> {
  constructor() {
    super({
      name: 'ops-traveller-health',
      context: TRAVELLER_HEALTH_CONTEXT,
      handles: TRAVELLER_HEALTH_EVENT_TYPES,
      deltas: async (_tx, events) => events.map(travellerHealthDeltas),
    });
  }
}

/** The figure deltas of one event. */
export function travellerHealthDeltas(event: RecordedEvent<TravellerHealthEvent>): FigureDelta[] {
  const e = { type: event.type, data: event.data } as TravellerHealthEvent;
  const { districtCode, subdistrictCode } = e.data;
  switch (e.type) {
    case 'TravellerHealthCaseOpened': {
      const place = { districtCode, subdistrictCode, occurredAt: e.data.openedAt, dim: '' };
      return [
        { ...place, figure: TravellerHealthFigure.casesOpened, value: 1 },
        { ...place, figure: TravellerHealthFigure.openCases, value: 1 },
      ];
    }
    case 'TravellerHealthCaseClosed': {
      const place = { districtCode, subdistrictCode, occurredAt: e.data.closedAt, dim: '' };
      return [
        { ...place, figure: TravellerHealthFigure.casesClosed, value: 1 },
        { ...place, figure: TravellerHealthFigure.openCases, value: -1 },
      ];
    }
    default:
      return unhandledEvent(e);
  }
}
