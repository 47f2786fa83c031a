import { travellerHealthStreams } from '@city/contracts';
import { CommandHandler, foldEvents, NO_STREAM_VERSION, StreamStateCache, type EventMetadata, type EventStore, type HandleOptions } from '@city/eventsourcing';
import type { Actor } from '../domain/command-context';
import { initialState, travellerDecider, type TravellerCommand, type TravellerEvent, type TravellerState } from '../domain/traveller.decider';

/** Who sent the request, and the id that ties together everything it causes. */
export interface RequestContext {
  readonly actor: Actor;
  readonly correlationId: string;
}

/** What a traveller command answers: the stream it touched, its version, and how many events this call appended (0 for a retry). */
export interface TravellerReceipt {
  readonly travellerId: string;
  readonly streamId: string;
  readonly version: number;
  readonly eventsAppended: number;
}

/** The actor of the commands the clock issues (missed check-ins, release on day 15, erasure after retention). */
export const SCHEDULER_ACTOR: Actor = { sub: 'traveller-health-scheduler', role: 'department', department: 'traveller-health' };

/**
 * Runs traveller commands on their streams: the decider through the CommandHandler, metadata per event.
 * The state of the streams this process wrote last is cached (a returning traveller or the next
 * check-in is decided without reading the stream back); a stream another replica wrote meanwhile
 * answers the append with a conflict, and the handler reads it and decides again.
 */
export class TravellerStreams {
  private readonly handler: CommandHandler<TravellerCommand, TravellerEvent, TravellerState>;
  private readonly cache = new StreamStateCache<TravellerState>(10_000);

  constructor(private readonly store: EventStore) {
    this.handler = new CommandHandler(store, travellerDecider, { cache: this.cache });
  }

  /**
   * `likelyNew`: the caller has reason to think the stream does not exist yet (a registration
   * whose data key was just created), so it is decided from the initial state without reading it.
   * Only a hint: the append expects no stream, and if there is one the handler reads it and decides again.
   */
  async handle(
    ctx: RequestContext,
    command: TravellerCommand,
    options: Omit<HandleOptions<TravellerEvent>, 'metadata'> & { readonly likelyNew?: boolean } = {},
  ): Promise<TravellerReceipt & { readonly events: readonly TravellerEvent[]; readonly state: TravellerState }> {
    const { travellerId } = command.data;
    const streamId = travellerHealthStreams.traveller(travellerId);
    if (options.likelyNew && !this.cache.get(streamId)) this.cache.set(streamId, { version: NO_STREAM_VERSION, state: initialState() });
    const { expectedVersion, schemaVersions, eventId } = options;
    const result = await this.handler.handle(streamId, command, { metadata: metadataOf(ctx), expectedVersion, schemaVersions, eventId });
    return { travellerId, streamId, version: result.nextExpectedVersion, eventsAppended: result.events.length, events: result.events, state: result.state };
  }

  /** The traveller as their stream says now, with its version (-1: no such stream). */
  async load(travellerId: string): Promise<{ state: TravellerState; version: number }> {
    const recorded = await this.store.readStream(travellerHealthStreams.traveller(travellerId));
    const state = foldEvents(
      travellerDecider,
      recorded.map((e) => ({ type: e.type, data: e.data }) as TravellerEvent),
    );
    return { state, version: recorded.length === 0 ? -1 : recorded[recorded.length - 1].streamVersion };
  }
}

/** Metadata of each event, built after `decide`: the district comes from the event itself. */
export function metadataOf(ctx: RequestContext): (event: { readonly data: { readonly districtCode: string } }) => EventMetadata {
  return (event) => ({
    correlationId: ctx.correlationId,
    causationId: ctx.correlationId,
    actorId: ctx.actor.sub,
    actorRole: ctx.actor.role,
    district: event.data.districtCode,
  });
}

/** Who a traveller registering from their phone is in the event metadata: nobody with an account. */
export const SELF_REGISTRATION_ACTOR: Actor = { sub: 'self-registration', role: 'department', department: 'traveller-health' };
