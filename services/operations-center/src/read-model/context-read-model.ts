import type { Projection } from '@city/projections';
import type { SqlExecutor } from '@city/sql';
import type { AsOf } from './as-of';

/**
 * The read model of one bounded context inside the operations center. Each
 * context (canvass today; traveller-health, enterprise-reopening and
 * policy-relief later) contributes its projections and its section of every
 * overview, keyed by `key` (`overview.canvass`, `overview.travellerHealth`, ...).
 * The dashboard has a matching panel per key (`panel`). Contexts are listed
 * once, in src/contexts/registry.ts; most are built with `figureReadModel`
 * over the shared figure storage (read-model/figures/).
 */
export interface ContextReadModel<Figures = unknown, DayFigures = unknown> {
  /** Property name of this context's section in overviews and series points. */
  readonly key: string;
  /** Kafka topic its projections consume in stack mode. */
  readonly topic: string;
  /** Stream-id prefix of its events in the event store (embedded mode, rebuild). */
  readonly streamPrefix: string;
  /** CloudEvents `source` its department's relay publishes with (e.g. `/city/canvass`): the rebuild source in stack mode. */
  readonly cloudEventSource: string;
  readonly projections: readonly Projection[];
  /** Its dashboard panel script, under src/web/assets/js/panels/ (e.g. `canvass.js`). */
  readonly panel: string;

  /** Figures per district code, plus the whole city, as of `at`. `district` narrows to one. */
  overview(db: SqlExecutor, at: AsOf, district?: string): Promise<AreaFigures<Figures>>;
  /** Figures per subdistrict code of one district (of the whole city when absent), as of `at`. */
  subdistricts(db: SqlExecutor, at: AsOf, district?: string): Promise<Map<string, Figures>>;
  /** Figures per day (`YYYY-MM-DD`) for the given days (oldest first), for the city, one district or one subdistrict. */
  series(db: SqlExecutor, days: readonly string[], area?: SeriesArea): Promise<Map<string, DayFigures>>;
  /** Figures of an area without any fact (a district nobody has canvassed yet). */
  empty(): Figures;
  emptyDay(): DayFigures;
}

/** The area of a series: a district, or a subdistrict of it; the whole city when absent. */
export interface SeriesArea {
  readonly district: string;
  readonly subdistrict?: string;
}

export interface AreaFigures<Figures> {
  readonly city: Figures;
  readonly districts: Map<string, Figures>;
}
