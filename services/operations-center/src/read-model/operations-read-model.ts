import { DISTRICTS, districtByCode, type District } from '@city/contracts';
import type { SqlExecutor } from '@city/sql';
import type { AsOf } from './as-of';
import { daysEndingWith, cityDayOf } from '@city/city-time';
import type { ContextReadModel } from './context-read-model';

/** Figures of one area, one section per context: `{ canvass: {...}, travellerHealth: {...} }`. */
export type Sections = Record<string, unknown>;

export interface DistrictRef {
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
}

export interface DistrictOverview {
  readonly district: DistrictRef;
  /** The instant the figures stand at (ISO-8601). */
  readonly asOf: string;
  /** City day (Asia/Shanghai) that "today" figures refer to. */
  readonly day: string;
  /** True for live figures, false for figures answered from history. */
  readonly live: boolean;
  readonly figures: Sections;
}

export interface CityOverview {
  readonly asOf: string;
  readonly day: string;
  readonly live: boolean;
  readonly city: Sections;
  /** All 16 districts, in the order of the district list. */
  readonly districts: DistrictOverview[];
}

export interface SubdistrictRow {
  readonly code: string;
  /** Registered name; null when facts arrived for a subdistrict not (yet) registered. */
  readonly name: string | null;
  readonly figures: Sections;
}

export interface SubdistrictsAnswer {
  readonly district: DistrictRef;
  readonly asOf: string;
  readonly day: string;
  readonly live: boolean;
  readonly subdistricts: SubdistrictRow[];
}

export interface CitySubdistrictRow extends SubdistrictRow {
  /** Code of the district the subdistrict belongs to. */
  readonly district: string;
}

export interface CitySubdistrictsAnswer {
  readonly asOf: string;
  readonly day: string;
  readonly live: boolean;
  readonly subdistricts: CitySubdistrictRow[];
}

export interface SeriesPoint {
  readonly day: string;
  readonly figures: Sections;
}

export interface SeriesAnswer {
  /** null for the whole city. */
  readonly district: DistrictRef | null;
  /** The subdistrict when the series is of one (its name null when not registered), else null. */
  readonly subdistrict: { readonly code: string; readonly name: string | null } | null;
  readonly days: SeriesPoint[];
}

/**
 * The query side of the operations center: composes every context's section
 * into city, district, subdistrict and series answers. Access rules are the
 * caller's job (the HTTP layer); this class only reads.
 */
export class OperationsReadModel {
  constructor(
    private readonly db: SqlExecutor,
    readonly contexts: readonly ContextReadModel[],
  ) {}

  async cityOverview(at: AsOf): Promise<CityOverview> {
    const answers = await Promise.all(this.contexts.map((c) => c.overview(this.db, at)));
    const city: Sections = {};
    this.contexts.forEach((c, i) => (city[c.key] = answers[i].city));
    const districts = DISTRICTS.map((d) =>
      this.districtAnswer(
        d,
        at,
        answers.map((a) => a.districts.get(d.code)),
      ),
    );
    return { ...stamp(at), city, districts };
  }

  async districtOverview(code: string, at: AsOf): Promise<DistrictOverview> {
    const answers = await Promise.all(this.contexts.map((c) => c.overview(this.db, at, code)));
    return this.districtAnswer(
      knownDistrict(code),
      at,
      answers.map((a) => a.districts.get(code)),
    );
  }

  /** Overviews of several districts in one query per context (for live pushes). */
  async districtOverviews(codes: readonly string[], at: AsOf): Promise<DistrictOverview[]> {
    if (codes.length === 1) return [await this.districtOverview(codes[0], at)];
    const answers = await Promise.all(this.contexts.map((c) => c.overview(this.db, at)));
    return codes.map((code) =>
      this.districtAnswer(
        knownDistrict(code),
        at,
        answers.map((a) => a.districts.get(code)),
      ),
    );
  }

  async subdistricts(code: string, at: AsOf): Promise<SubdistrictsAnswer> {
    const district = knownDistrict(code);
    const rows = await this.subdistrictRows(at, code);
    return { district: ref(district), ...stamp(at), subdistricts: rows.map(({ code: sub, name, figures }) => ({ code: sub, name, figures })) };
  }

  /** Every subdistrict and town of the city with its figures, each with its district. */
  async citySubdistricts(at: AsOf): Promise<CitySubdistrictsAnswer> {
    return { ...stamp(at), subdistricts: await this.subdistrictRows(at) };
  }

  /** The subdistricts registered or with figures, in code order, of one district or of the city. */
  private async subdistrictRows(at: AsOf, district?: string): Promise<CitySubdistrictRow[]> {
    const [registered, ...answers] = await Promise.all([
      this.db.query<{ district_code: string; subdistrict_code: string; name: string }>(
        `SELECT district_code, subdistrict_code, name FROM ops.subdistricts WHERE ($1::text IS NULL OR district_code = $1) ORDER BY subdistrict_code`,
        [district ?? null],
      ),
      ...this.contexts.map((c) => c.subdistricts(this.db, at, district)),
    ]);
    const names = new Map<string, string | null>(registered.rows.map((r) => [r.subdistrict_code, r.name]));
    const districtOf = new Map(registered.rows.map((r) => [r.subdistrict_code, r.district_code]));
    for (const answer of answers) for (const sub of answer.keys()) if (!names.has(sub)) names.set(sub, null);
    return [...names.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([sub, name]) => {
        const figures: Sections = {};
        this.contexts.forEach((c, i) => (figures[c.key] = answers[i].get(sub) ?? c.empty()));
        // An unregistered subdistrict's district is in its code: the district's six digits come first.
        return { district: districtOf.get(sub) ?? sub.slice(0, 6), code: sub, name, figures };
      });
  }

  /** Daily figures of the city, a district, or one subdistrict of the district. */
  async series(now: Date, days: number, districtCode?: string, subdistrictCode?: string): Promise<SeriesAnswer> {
    const dayList = daysEndingWith(cityDayOf(now), days);
    const area = districtCode ? { district: districtCode, ...(subdistrictCode ? { subdistrict: subdistrictCode } : {}) } : undefined;
    const [answers, subdistrict] = await Promise.all([
      Promise.all(this.contexts.map((c) => c.series(this.db, dayList, area))),
      districtCode && subdistrictCode ? this.subdistrictRef(districtCode, subdistrictCode) : null,
    ]);
    return {
      district: districtCode ? ref(knownDistrict(districtCode)) : null,
      subdistrict,
      days: dayList.map((day) => {
        const figures: Sections = {};
        this.contexts.forEach((c, i) => (figures[c.key] = answers[i].get(day) ?? c.emptyDay()));
        return { day, figures };
      }),
    };
  }

  private async subdistrictRef(district: string, code: string): Promise<{ code: string; name: string | null }> {
    const { rows } = await this.db.query<{ name: string }>(`SELECT name FROM ops.subdistricts WHERE district_code = $1 AND subdistrict_code = $2`, [
      district,
      code,
    ]);
    return { code, name: rows[0]?.name ?? null };
  }

  private districtAnswer(district: District, at: AsOf, sections: readonly unknown[]): DistrictOverview {
    const figures: Sections = {};
    this.contexts.forEach((c, i) => (figures[c.key] = sections[i] ?? c.empty()));
    return { district: ref(district), ...stamp(at), figures };
  }
}

function stamp(at: AsOf) {
  return { asOf: at.instant.toISOString(), day: at.day, live: at.live };
}

function ref(d: District): DistrictRef {
  return { code: d.code, name: d.name, nameZh: d.nameZh };
}

function knownDistrict(code: string): District {
  const d = districtByCode(code);
  if (!d) throw new Error(`Unknown district ${code}: validate district codes before querying`);
  return d;
}
