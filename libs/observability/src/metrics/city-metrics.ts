import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { commandOutcomeOf, type CommandOutcome } from './command-outcome';
import { METRICS_REGISTRY } from './metrics-registry';

/** Seconds; commands are sub-second normally, a few seconds under contention. */
const COMMAND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The platform's metrics (names fixed by ARCHITECTURE.md: prefix `city_`, base
 * units, `_total` on counters, no ids in labels). The `service` label comes
 * from the registry's default labels, so callers never pass it.
 *
 * Usable without Nest too: `new CityMetrics(createServiceRegistry('canvass'))`.
 */
@Injectable()
export class CityMetrics {
  readonly commandsTotal: Counter<'command' | 'outcome'>;
  readonly commandDurationSeconds: Histogram<'command'>;
  readonly eventsAppendedTotal: Counter<'type'>;
  readonly projectionLagSeconds: Gauge<'projection'>;
  readonly projectionEventsTotal: Counter<'projection' | 'type'>;
  readonly projectionCheckpointPosition: Gauge<'projection'>;
  readonly dlqMessagesTotal: Counter<'consumer' | 'topic'>;
  readonly authRefusalsTotal: Counter<'reason'>;
  readonly rateLimitedTotal: Counter<'method' | 'route'>;
  private relayLag?: Gauge;
  private relayPublished?: Counter<'topic'>;

  constructor(@Inject(METRICS_REGISTRY) readonly registry: Registry) {
    const registers = [registry];
    this.commandsTotal = new Counter({
      name: 'city_commands_total',
      help: 'Commands handled, by command name and outcome.',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.commandDurationSeconds = new Histogram({
      name: 'city_command_duration_seconds',
      help: 'Time to handle a command (load, decide, append), in seconds.',
      labelNames: ['command'],
      buckets: COMMAND_BUCKETS,
      registers,
    });
    this.eventsAppendedTotal = new Counter({
      name: 'city_events_appended_total',
      help: 'Events appended to the event store, by event type.',
      labelNames: ['type'],
      registers,
    });
    this.projectionLagSeconds = new Gauge({
      name: 'city_projection_lag_seconds',
      help: 'Age of the newest event a projection has read while behind the broker, in seconds; 0 when caught up.',
      labelNames: ['projection'],
      registers,
    });
    this.projectionEventsTotal = new Counter({
      name: 'city_projection_events_total',
      help: 'Events applied by a projection, by event type.',
      labelNames: ['projection', 'type'],
      registers,
    });
    this.projectionCheckpointPosition = new Gauge({
      name: 'city_projection_checkpoint_position',
      help: 'Last position (offset or global log position) a projection has stored.',
      labelNames: ['projection'],
      registers,
    });
    this.dlqMessagesTotal = new Counter({
      name: 'city_dlq_messages_total',
      help: 'Poison messages sent to a dead-letter topic, by consumer and source topic.',
      labelNames: ['consumer', 'topic'],
      registers,
    });
    this.authRefusalsTotal = new Counter({
      name: 'city_auth_refusals_total',
      help: 'Requests refused by authentication or authorisation (401/403), by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.rateLimitedTotal = new Counter({
      name: 'city_http_rate_limited_total',
      help: 'Commands refused with 429 because their token (or, without one, their client address) sent more than its limit, by method and route template.',
      labelNames: ['method', 'route'],
      registers,
    });
  }

  /**
   * `city_relay_lag_events`: committed events of the service's streams not yet
   * published. Registered when a relay first reports, so a service that runs
   * no relay (the operations center) does not export it.
   */
  get relayLagEvents(): Gauge {
    return (this.relayLag ??= new Gauge({
      name: 'city_relay_lag_events',
      help: 'Committed events of the service not yet published to Kafka by the relay.',
      registers: [this.registry],
    }));
  }

  /** `city_relay_published_total{topic}`; like the lag, registered by the first relay that reports. */
  get relayPublishedTotal(): Counter<'topic'> {
    return (this.relayPublished ??= new Counter({
      name: 'city_relay_published_total',
      help: 'Events the relay published to Kafka and the broker acknowledged, by topic.',
      labelNames: ['topic'],
      registers: [this.registry],
    }));
  }

  /**
   * Runs a command handler, recording `city_commands_total{command,outcome}` and
   * `city_command_duration_seconds{command}`. The error (if any) is rethrown
   * unchanged after its outcome is counted.
   */
  async timeCommand<T>(command: string, fn: () => Promise<T> | T): Promise<T> {
    const stop = this.commandDurationSeconds.startTimer({ command });
    let outcome: CommandOutcome = 'accepted';
    try {
      return await fn();
    } catch (error) {
      outcome = commandOutcomeOf(error);
      throw error;
    } finally {
      stop();
      this.commandsTotal.inc({ command, outcome });
    }
  }

  recordEventsAppended(types: readonly string[]): void {
    for (const type of types) this.eventsAppendedTotal.inc({ type });
  }

  recordAuthRefusal(reason: string): void {
    this.authRefusalsTotal.inc({ reason });
  }

  /** Text exposition of every metric of this registry (what GET /metrics serves). */
  metricsText(): Promise<string> {
    return this.registry.metrics();
  }
}
