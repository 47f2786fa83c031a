import { Subject, type Observable, type Subscription } from 'rxjs';
import { DISTRICT_CODES, isDistrictCode } from '@city/contracts';
import { liveAsOf } from '../read-model/as-of';
import { cityDayOf } from '@city/city-time';
import type { CityOverview, DistrictOverview, OperationsReadModel, Sections } from '../read-model/operations-read-model';
import type { ChangeFeed } from './change-feed';

/** What every live client may receive after a change; each client keeps what its token may read. */
export interface LiveUpdate {
  readonly districts: readonly DistrictOverview[];
  readonly city: { readonly asOf: string; readonly day: string; readonly live: true; readonly figures: Sections };
}

export interface LiveUpdatesOptions {
  /** Changes arriving within this window are answered with one query (default 150 ms). */
  readonly coalesceMs?: number;
  /** How often to check whether the city day turned over (default 30 s). */
  readonly dayCheckMs?: number;
  readonly clock?: () => Date;
}

/**
 * Turns change notices into fresh district overviews, once for all clients:
 * notices are coalesced for a short window, then one live city overview is
 * read and the changed districts (plus the city totals) are pushed. When the
 * city day turns over, "today" restarts for everyone, so all districts are pushed.
 */
export class LiveUpdates {
  private readonly updates = new Subject<LiveUpdate>();
  private readonly pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private readonly dayTimer: NodeJS.Timeout;
  private subscription?: Subscription;
  private day: string;
  private flushing: Promise<void> = Promise.resolve();
  private readonly coalesceMs: number;
  private readonly clock: () => Date;

  constructor(
    private readonly readModel: OperationsReadModel,
    feed: ChangeFeed,
    private readonly onError: (error: unknown) => void,
    options: LiveUpdatesOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? 150;
    this.clock = options.clock ?? (() => new Date());
    this.day = cityDayOf(this.clock());
    this.subscription = feed.notices.subscribe((notice) => this.changed(notice.districts));
    this.dayTimer = setInterval(() => this.checkDay(), options.dayCheckMs ?? 30_000);
    this.dayTimer.unref();
  }

  get stream(): Observable<LiveUpdate> {
    return this.updates.asObservable();
  }

  /** The current live city overview (the snapshot a new client starts from). */
  snapshot(): Promise<CityOverview> {
    return this.readModel.cityOverview(liveAsOf(this.clock()));
  }

  changed(districts: Iterable<string>): void {
    for (const d of districts) if (isDistrictCode(d)) this.pending.add(d);
    if (this.pending.size > 0 && !this.timer) this.timer = setTimeout(() => this.flush(), this.coalesceMs);
  }

  close(): void {
    clearTimeout(this.timer);
    clearInterval(this.dayTimer);
    this.subscription?.unsubscribe();
    this.updates.complete();
  }

  private flush(): void {
    this.timer = undefined;
    const codes = [...this.pending];
    this.pending.clear();
    // Flushes run one after another, so clients see updates in order.
    this.flushing = this.flushing.then(async () => {
      try {
        const overview = await this.snapshot();
        this.updates.next({
          districts: overview.districts.filter((d) => codes.includes(d.district.code)),
          city: { asOf: overview.asOf, day: overview.day, live: true, figures: overview.city },
        });
      } catch (error) {
        this.onError(error);
      }
    });
  }

  private checkDay(): void {
    const today = cityDayOf(this.clock());
    if (today === this.day) return;
    this.day = today;
    this.changed(DISTRICT_CODES);
  }
}
