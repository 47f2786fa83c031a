import { Logger } from '@nestjs/common';
import { retryWithBackoff, type Retrying } from '@city/eventsourcing';
import type { EventRelay } from '@city/kafka';
import type { CityMetrics } from '@city/observability';
import { PgLeaderLock, type PgDatabase } from '@city/sql';

const RELAY_LAG_INTERVAL_MS = 5000;
/** Retrying a relay that cannot reach the broker: 0.5 s at first, doubling up to 30 s. */
const RELAY_RETRY = { initialMs: 500, maxMs: 30_000 } as const;

/**
 * Runs the relay while this replica holds the relay lock (one relay publishes
 * at a time; the others stand by and take over if it dies), retries it with
 * backoff while the broker is down (the store keeps every event meanwhile), and
 * keeps the `relay_lag_events` gauge current (events of the service's streams
 * after the stored checkpoint: 0 when everything is published).
 */
export class LeaderRelay {
  private readonly logger: Logger;
  private readonly leadership: PgLeaderLock;
  private readonly lagTimer: NodeJS.Timeout;
  private stopping = false;
  private lockLost?: () => void;
  private starting?: Retrying;

  constructor(
    private readonly relay: EventRelay,
    db: PgDatabase,
    serviceName: string,
    metrics: CityMetrics,
  ) {
    this.logger = new Logger(`${serviceName} relay`);
    this.leadership = new PgLeaderLock(db.pool, `relay:${serviceName}`, {
      onChange: (leader) => {
        this.logger.log(leader ? 'This replica now runs the relay' : 'This replica no longer runs the relay');
        if (!leader) this.lockLost?.();
      },
    });
    void this.whileLeader();
    // Every replica reports the lag, from the stored checkpoint: the same figure whichever one relays.
    const measureLag = (): void => {
      relay.lag().then(
        (lag) => metrics.relayLagEvents.set(Number(lag)),
        () => undefined,
      );
    };
    measureLag();
    this.lagTimer = setInterval(measureLag, RELAY_LAG_INTERVAL_MS);
    this.lagTimer.unref();
  }

  /** Stops the relay (its batch in flight is acknowledged and checkpointed) and gives up the lock. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.starting?.stop();
    clearInterval(this.lagTimer);
    await this.relay.stop().catch((error: unknown) => this.logger.error({ err: error }, 'Relay did not stop cleanly'));
    await this.leadership.release();
  }

  private async whileLeader(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.leadership.acquire();
      } catch {
        return; // released at shutdown
      }
      const lost = new Promise<void>((resolve) => (this.lockLost = resolve));
      await this.startRelay();
      await lost;
      if (!this.stopping) await this.relay.stop().catch((error: unknown) => this.logger.warn(`Relay did not stop cleanly: ${String(error)}`));
    }
  }

  private async startRelay(): Promise<void> {
    if (this.stopping) return;
    this.starting = retryWithBackoff(() => this.relay.start(), {
      ...RELAY_RETRY,
      onFailure: (error) => this.logger.warn(`Relay could not start (${error.message}); retrying`),
    });
    await this.starting.done;
  }
}
