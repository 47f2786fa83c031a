import { Subject, type Observable } from 'rxjs';
import { DISTRICT_CODES } from '@city/contracts';
import type { SqlDatabase } from '@city/sql';
import { OPS_CHANGES_CHANNEL } from '../read-model/ops-schema';

/** The `projection` of the notice sent after listening resumed: any district may have changed. */
export const RESUMED = 'listening-resumed';

/** Districts whose figures a committed projection batch changed. */
export interface ChangeNotice {
  readonly projection: string;
  readonly districts: readonly string[];
}

/**
 * The in-process bus of read-model changes. Projections NOTIFY on
 * `ops_changes` inside their transaction; PostgreSQL delivers the
 * notification on commit to every listener: this process (embedded PGlite or
 * stack mode) and every other API replica on the same database. So a replica
 * that runs no projection still pushes live updates.
 */
export class ChangeFeed {
  private readonly subject = new Subject<ChangeNotice>();
  private unlisten?: () => Promise<void>;

  get notices(): Observable<ChangeNotice> {
    return this.subject.asObservable();
  }

  async listen(db: SqlDatabase): Promise<void> {
    this.unlisten = await db.listen(
      OPS_CHANGES_CHANNEL,
      (payload) => {
        const notice = parseNotice(payload);
        if (notice) this.subject.next(notice);
      },
      // Changes notified while the listening connection was down are lost: treat every district as changed.
      () => this.subject.next({ projection: RESUMED, districts: DISTRICT_CODES }),
    );
  }

  /** For in-process publishers that do not go through the database. */
  publish(notice: ChangeNotice): void {
    this.subject.next(notice);
  }

  async close(): Promise<void> {
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = undefined;
    this.subject.complete();
  }
}

function parseNotice(payload: string): ChangeNotice | undefined {
  try {
    const value = JSON.parse(payload) as Partial<ChangeNotice>;
    if (typeof value.projection !== 'string' || !Array.isArray(value.districts)) return undefined;
    return { projection: value.projection, districts: value.districts.filter((d): d is string => typeof d === 'string') };
  } catch {
    return undefined;
  }
}
