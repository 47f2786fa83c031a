import type { Projection } from '@city/projections';
import type { SqlExecutor } from '@city/sql';
import type { AsOf } from '../as-of';
import type { AreaFigures, ContextReadModel, SeriesArea } from '../context-read-model';
import { ReferenceDataProjection } from '../reference-data.projection';
import { loadFigureCells, loadSeriesRows, type FigureCell } from './figure-store';

/** How a context turns summed cells into its section of the answers. */
export interface FigureFolds<Figures, DayFigures> {
  /** Figures of one area from its cells (of every district of the city for the city). */
  fold(cells: readonly FigureCell[]): Figures;
  /** Figures that are levels: a series day shows their running sum at the day's end. */
  readonly levels: readonly string[];
  /** One series day from its sums per figure and the running levels at its end. */
  foldDay(sums: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): DayFigures;
  empty(): Figures;
  emptyDay(): DayFigures;
}

export interface FigureReadModelSpec<Figures, DayFigures> {
  readonly key: string;
  readonly topic: string;
  readonly streamPrefix: string;
  readonly cloudEventSource: string;
  /** Its dashboard panel script, under src/web/assets/js/panels/. */
  readonly panel: string;
  readonly projections: readonly Projection[];
  /**
   * This context's topic carries the city's reference data (subdistrict
   * registrations): its feed also runs the operations center's reference-data projection.
   */
  readonly carriesReferenceData?: boolean;
  readonly folds: FigureFolds<Figures, DayFigures>;
}

/** A context's read model over the shared figure storage: the queries are the same for every context. */
export function figureReadModel<F, D>(spec: FigureReadModelSpec<F, D>): ContextReadModel<F, D> {
  const { key, folds } = spec;
  const byArea = (cells: readonly FigureCell[]): Map<string, F> => {
    const groups = new Map<string, FigureCell[]>();
    for (const cell of cells) {
      const group = groups.get(cell.area);
      if (group) group.push(cell);
      else groups.set(cell.area, [cell]);
    }
    return new Map([...groups].map(([area, group]) => [area, folds.fold(group)]));
  };
  return {
    key,
    topic: spec.topic,
    streamPrefix: spec.streamPrefix,
    cloudEventSource: spec.cloudEventSource,
    panel: spec.panel,
    projections: spec.carriesReferenceData ? [...spec.projections, new ReferenceDataProjection()] : spec.projections,

    async overview(db: SqlExecutor, at: AsOf, district?: string): Promise<AreaFigures<F>> {
      const cells = await loadFigureCells(db, key, at, 'district', district ?? null);
      return { city: folds.fold(cells), districts: byArea(cells) };
    },

    async subdistricts(db: SqlExecutor, at: AsOf, district?: string): Promise<Map<string, F>> {
      return byArea(await loadFigureCells(db, key, at, 'subdistrict', district ?? null));
    },

    async series(db: SqlExecutor, days: readonly string[], area?: SeriesArea): Promise<Map<string, D>> {
      const result = new Map<string, D>();
      if (days.length === 0) return result;
      const rows = await loadSeriesRows(db, key, days[0], days[days.length - 1], folds.levels, area);
      const levels = new Map(folds.levels.map((figure) => [figure, rows.before.get(figure) ?? 0]));
      for (const day of days) {
        const sums = rows.byDay.get(day) ?? new Map<string, number>();
        for (const figure of folds.levels) levels.set(figure, (levels.get(figure) ?? 0) + (sums.get(figure) ?? 0));
        result.set(day, folds.foldDay(sums, levels));
      }
      return result;
    },

    empty: folds.empty,
    emptyDay: folds.emptyDay,
  };
}
