import { ENTERPRISE_REOPENING_STREAM_PREFIX, ENTERPRISE_REOPENING_TOPIC } from '@city/contracts';
import type { ContextReadModel } from '../../read-model/context-read-model';
import { figureReadModel } from '../../read-model/figures/figure-read-model';
import { ENTERPRISE_REOPENING_CONTEXT, EnterpriseReopeningProjection } from './enterprise-reopening.projection';
import {
  ENTERPRISE_REOPENING_LEVELS,
  emptyEnterpriseReopeningDay,
  emptyEnterpriseReopeningFigures,
  foldEnterpriseReopeningDay,
  foldEnterpriseReopeningFigures,
  type EnterpriseReopeningDayFigures,
  type EnterpriseReopeningFigures,
} from './enterprise-reopening-figures';

/** The enterprise-reopening context's part of the operations-center read models. */
export function enterpriseReopeningReadModel(): ContextReadModel<EnterpriseReopeningFigures, EnterpriseReopeningDayFigures> {
  return figureReadModel({
    key: ENTERPRISE_REOPENING_CONTEXT,
    topic: ENTERPRISE_REOPENING_TOPIC,
    streamPrefix: ENTERPRISE_REOPENING_STREAM_PREFIX,
    cloudEventSource: '/city/enterprise-reopening',
    panel: 'enterprise-reopening.js',
    projections: [new EnterpriseReopeningProjection()],
    folds: {
      fold: foldEnterpriseReopeningFigures,
      levels: ENTERPRISE_REOPENING_LEVELS,
      foldDay: foldEnterpriseReopeningDay,
      empty: emptyEnterpriseReopeningFigures,
      emptyDay: emptyEnterpriseReopeningDay,
    },
  });
}
