import { CANVASS_STREAM_PREFIX, CANVASS_TOPIC } from '@city/contracts';
import type { SqlExecutor } from '@city/sql';
import type { AsOf } from '../../read-model/as-of';
import type { AreaFigures, ContextReadModel, SeriesArea } from '../../read-model/context-read-model';
import { CanvassProjection } from './canvass.projection';
import {
  emptyCanvassDay,
  emptyCanvassFigures,
  foldCanvassDay,
  foldCanvassFigures,
  type CanvassDayFigures,
  type CanvassFigures,
} from './canvass-figures';
import { CanvassMetric } from './canvass-metrics';
import { loadFigureCells, loadSeriesRows, loadVisitedCells } from './canvass-queries';

const CITY = 'city';

/** The canvass context's part of the operations-center read models. */
export function canvassReadModel(): ContextReadModel<CanvassFigures, CanvassDayFigures> {
  return {
    key: 'canvass',
    topic: CANVASS_TOPIC,
    streamPrefix: CANVASS_STREAM_PREFIX,
    cloudEventSource: '/city/canvass',
    projections: [new CanvassProjection()],

    async overview(db: SqlExecutor, at: AsOf, district?: string): Promise<AreaFigures<CanvassFigures>> {
      const [cells, visited] = await Promise.all([
        loadFigureCells(db, at, 'district_code', district ?? null),
        loadVisitedCells(db, at, 'district_code', district ?? null),
      ]);
      return {
        city: foldCanvassFigures(cells, visited, () => CITY).get(CITY) ?? emptyCanvassFigures(),
        districts: foldCanvassFigures(cells, visited, (c) => c.area),
      };
    },

    async subdistricts(db: SqlExecutor, at: AsOf, district?: string): Promise<Map<string, CanvassFigures>> {
      const [cells, visited] = await Promise.all([
        loadFigureCells(db, at, 'subdistrict_code', district ?? null),
        loadVisitedCells(db, at, 'subdistrict_code', district ?? null),
      ]);
      return foldCanvassFigures(cells, visited, (c) => c.area);
    },

    async series(db: SqlExecutor, days: readonly string[], area?: SeriesArea): Promise<Map<string, CanvassDayFigures>> {
      const result = new Map<string, CanvassDayFigures>();
      if (days.length === 0) return result;
      const rows = await loadSeriesRows(db, days[0], days[days.length - 1], area?.district ?? null, area?.subdistrict ?? null);
      let activeUnits = rows.levelsBefore.get(CanvassMetric.activeUnits) ?? 0;
      let inHomeObservation = rows.levelsBefore.get(CanvassMetric.inHomeObservation) ?? 0;
      for (const day of days) {
        const sums = rows.byDay.get(day) ?? new Map<string, number>();
        activeUnits += sums.get(CanvassMetric.activeUnits) ?? 0;
        inHomeObservation += sums.get(CanvassMetric.inHomeObservation) ?? 0;
        result.set(day, foldCanvassDay(sums, { activeUnits, inHomeObservation }, rows.visitedByDay.get(day) ?? 0));
      }
      return result;
    },

    empty: emptyCanvassFigures,
    emptyDay: emptyCanvassDay,
  };
}
