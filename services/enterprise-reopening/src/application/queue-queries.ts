import { APPEAL_DEPARTMENTS } from '@city/contracts';
import { NotFoundError } from '@city/eventsourcing';
import { enterpriseReopeningAccess, enterpriseScope } from '../domain/access-policy';
import { cityDayOf } from '../domain/city-time';
import type { Actor } from '../domain/command-context';
import { RECTIFICATION_DUE, TO_INSPECT, type AppealSummary, type QueueEntry, type ReopeningReadModel } from './reopening-read-model';

export interface InspectionQueueView {
  /** The city day `overdue` is judged against. */
  readonly today: string;
  /** Declarations and resubmitted rectifications waiting for an inspection, longest waiting first. */
  readonly toInspect: readonly QueueEntry[];
  /** Enterprises with items to put right, earliest due date first. */
  readonly rectificationsDue: readonly (QueueEntry & { readonly overdue: boolean })[];
}

/** An appeal in an enterprise's list, with the name of the department it went to. */
export interface AppealListItem extends AppealSummary {
  readonly departmentName: string;
  readonly departmentNameZh: string | null;
}

const DEPARTMENTS = new Map(APPEAL_DEPARTMENTS.map((d) => [d.code, d]));

/** The lists the screens show, from the service's read model (never a replay of history). */
export class QueueQueries {
  constructor(
    private readonly readModel: ReopeningReadModel,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * An area's inspection queue: a district token (inspector, district staff) sees its district;
   * the commission and the city center the city, or the district they name.
   */
  async inspectionQueue(actor: Actor, query: { districtCode?: string; subdistrictCode?: string; limit?: number }): Promise<InspectionQueueView> {
    const district = query.districtCode ?? actor.district;
    const subdistrict = query.subdistrictCode;
    enterpriseReopeningAccess.assert('read', actor, district === undefined ? {} : { district, ...(subdistrict ? { subdistrict } : {}) });
    const filter = { ...(district ? { districtCode: district } : {}), ...(subdistrict ? { subdistrictCode: subdistrict } : {}), limit: query.limit ?? 200 };
    const today = cityDayOf(this.clock().toISOString());
    const [toInspect, due] = await Promise.all([this.readModel.queue(TO_INSPECT, filter, 'waiting'), this.readModel.queue(RECTIFICATION_DUE, filter, 'due')]);
    return {
      today,
      toInspect,
      rectificationsDue: due.map((e) => ({ ...e, overdue: e.rectificationDueDate !== null && e.rectificationDueDate < today })),
    };
  }

  /** An enterprise's appeals, newest first: the enterprise itself, its district and the commission see them. */
  async appealsOf(actor: Actor, creditCode: string, limit = 100): Promise<AppealListItem[]> {
    const place = await this.readModel.placeOf(creditCode);
    if (place === null) throw new NotFoundError(`Unknown enterprise ${creditCode}`);
    enterpriseReopeningAccess.assert('read', actor, enterpriseScope(place));
    return (await this.readModel.appealsOf(creditCode, limit)).map((a) => {
      const department = DEPARTMENTS.get(a.department);
      return { ...a, departmentName: department?.name ?? a.department, departmentNameZh: department?.nameZh ?? null };
    });
  }
}
