import { ENTERPRISE_REOPENING_STREAM_PREFIX, ENTERPRISE_REOPENING_TOPIC } from '@city/contracts';
import type { ContextReadModel } from '../../read-model/context-read-model';
import { figureReadModel } from '../../read-model/figures/figure-read-model';
import { addAppealAges, loadAppealAges, type AppealAgeRow } from './appeal-ages';
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

/**
 * The enterprise-reopening context's part of the operations-center read models: the shared
 * figure storage, and the open appeals by age from the projection's spells (appeal-ages.ts).
 */
export function enterpriseReopeningReadModel(): ContextReadModel<EnterpriseReopeningFigures, EnterpriseReopeningDayFigures> {
  const figures = figureReadModel({
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
  /** Each row's ages added to its area (made when the area has no figure yet) and to `whole`, when given. */
  const withAges = (areas: Map<string, EnterpriseReopeningFigures>, rows: readonly AppealAgeRow[], whole?: EnterpriseReopeningFigures) => {
    for (const row of rows) {
      let area = areas.get(row.area);
      if (area === undefined) areas.set(row.area, (area = emptyEnterpriseReopeningFigures()));
      addAppealAges(area.appeals, row);
      if (whole) addAppealAges(whole.appeals, row);
    }
  };
  return {
    ...figures,
    async overview(db, at, district) {
      const answer = await figures.overview(db, at, district);
      withAges(answer.districts, await loadAppealAges(db, at, 'district', district ?? null), answer.city);
      return answer;
    },
    async subdistricts(db, at, district) {
      const answer = await figures.subdistricts(db, at, district);
      withAges(answer, await loadAppealAges(db, at, 'subdistrict', district ?? null));
      return answer;
    },
  };
}
