import type { DomainEvent, EventMetadata, EventStore, KeyedLock } from '@city/eventsourcing';
import type { Actor, CommandContext } from '../domain/command-context';

/** Who sent the request, and the id that ties together everything it causes. */
export interface RequestContext {
  readonly actor: Actor;
  readonly correlationId: string;
}

/** What a command answers: the stream it touched and its version. */
export interface CommandReceipt {
  readonly streamId: string;
  /**
   * Version of the stream after the command. For a retried visit, doorstep
   * service, registration or shift start or end: the version at which it was first recorded.
   */
  readonly version: number;
  /** Events this call appended: 0 for an idempotent retry or a command that changed nothing. */
  readonly eventsAppended: number;
}

/** The metrics a command service reports; CityMetrics of @city/observability fits. */
export interface CommandMetrics {
  timeCommand<T>(command: string, fn: () => Promise<T>): Promise<T>;
  recordEventsAppended(types: readonly string[]): void;
}

/** Every canvass event names the district it belongs to. */
type DistrictEvent = DomainEvent<string, { readonly districtCode: string }>;

/**
 * What the canvass command handlers of every aggregate share: the store, the
 * clock, the per-stream serialisation, metrics, and how a request becomes
 * command context, event metadata and a receipt.
 */
export class CommandPlumbing {
  constructor(
    readonly store: EventStore,
    /** Serialises the commands of one stream in this process (shared by every aggregate's handler). */
    readonly streamLocks: KeyedLock,
    private readonly clock: () => Date,
    private readonly metrics?: CommandMetrics,
  ) {}

  now(): string {
    return this.clock().toISOString();
  }

  context(ctx: RequestContext): CommandContext {
    return { actor: ctx.actor, now: this.now() };
  }

  /** Metadata of each event, built after `decide`: the district comes from the event itself. */
  metadata(ctx: RequestContext): (event: DistrictEvent) => EventMetadata {
    return (event) => ({
      correlationId: ctx.correlationId,
      // The HTTP request is the command that directly causes the events.
      causationId: ctx.correlationId,
      actorId: ctx.actor.sub,
      actorRole: ctx.actor.role,
      district: event.data.districtCode,
    });
  }

  /** Counts the command by outcome (refusals by reason are counted by the HTTP error filter). */
  timed<T>(command: string, work: () => Promise<T>): Promise<T> {
    return this.metrics ? this.metrics.timeCommand(command, work) : work();
  }

  /**
   * The receipt of a command. When it appended nothing because it repeats a
   * record already made (a resent visit, a retried registration), `recorded`
   * finds that record, and the receipt names the version it was recorded at,
   * so a retry answers what the first attempt answered.
   */
  async receipt<E extends DomainEvent>(
    streamId: string,
    result: { readonly events: readonly E[]; readonly nextExpectedVersion: number },
    recorded?: (event: E) => boolean,
  ): Promise<CommandReceipt> {
    const { events } = result;
    if (events.length > 0) this.metrics?.recordEventsAppended(events.map((e) => e.type));
    const version = events.length === 0 && recorded ? await this.recordedVersion(streamId, recorded, result.nextExpectedVersion) : result.nextExpectedVersion;
    return { streamId, version, eventsAppended: events.length };
  }

  /** A stream's events as its decider knows them (canvass streams hold only that decider's events). */
  async readEvents<E extends DomainEvent>(streamId: string): Promise<E[]> {
    const recorded = await this.store.readStream(streamId);
    return recorded.map((e) => ({ type: e.type, data: e.data }) as E);
  }

  /** Reads the stream only on a retry, which is rare; the states keep no versions. */
  private async recordedVersion<E extends DomainEvent>(streamId: string, recorded: (event: E) => boolean, otherwise: number): Promise<number> {
    const match = (await this.store.readStream(streamId)).find((e) => recorded({ type: e.type, data: e.data } as E));
    return match?.streamVersion ?? otherwise;
  }
}
