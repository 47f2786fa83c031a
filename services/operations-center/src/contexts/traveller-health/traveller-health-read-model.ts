import { TRAVELLER_HEALTH_STREAM_PREFIX, TRAVELLER_HEALTH_TOPIC } from '@city/contracts';
import type { ContextReadModel } from '../../read-model/context-read-model';
import { figureReadModel } from '../../read-model/figures/figure-read-model';
import { TRAVELLER_HEALTH_CONTEXT, TravellerHealthProjection } from './traveller-health.projection';
import {
  TRAVELLER_HEALTH_LEVELS,
  emptyTravellerHealthDay,
  emptyTravellerHealthFigures,
  foldTravellerHealthDay,
  foldTravellerHealthFigures,
  type TravellerHealthDayFigures,
  type TravellerHealthFigures,
} from './traveller-health-figures';

/** The traveller-health context's part of the operations-center read models. */
export function travellerHealthReadModel(): ContextReadModel<TravellerHealthFigures, TravellerHealthDayFigures> {
  return figureReadModel({
    key: TRAVELLER_HEALTH_CONTEXT,
    topic: TRAVELLER_HEALTH_TOPIC,
    streamPrefix: TRAVELLER_HEALTH_STREAM_PREFIX,
    cloudEventSource: '/city/traveller-health',
    panel: 'traveller-health.js',
    projections: [new TravellerHealthProjection()],
    folds: {
      fold: foldTravellerHealthFigures,
      levels: TRAVELLER_HEALTH_LEVELS,
      foldDay: foldTravellerHealthDay,
      empty: emptyTravellerHealthFigures,
      emptyDay: emptyTravellerHealthDay,
    },
  });
}
