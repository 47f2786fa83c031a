import { CommandHandler, StreamStateCache, type Decider, type DomainEvent, type EventStore, type HandleOptions, type HandleResult } from '@city/eventsourcing';
import { KeyedMutex } from './keyed-mutex';

/**
 * Streams whose state stays in memory per decider. A unit's state is a few
 * hundred bytes (its visit and service ids), so the bound is some megabytes;
 * a field day touches far fewer units than this per replica.
 */
const CACHED_STREAMS = 20_000;

/**
 * The event-sourcing CommandHandler, with the commands of one stream run one
 * at a time within this process. Without it, a burst of visits to one unit
 * would race for the same stream version and some would exhaust their
 * conflict retries; with it, only writers on other instances can conflict,
 * and the CommandHandler's reload-and-retry handles those.
 *
 * Because this process serialises a stream's commands, it also keeps the
 * state each command leaves behind, and the next command on that stream
 * decides without reading it back: one database round trip per command
 * instead of two.
 */
export class SerialCommandHandler<Command, Event extends DomainEvent, State> {
  private readonly inner: CommandHandler<Command, Event, State>;

  constructor(
    store: EventStore,
    decider: Decider<Command, Event, State>,
    private readonly locks: KeyedMutex,
  ) {
    this.inner = new CommandHandler(store, decider, { cache: new StreamStateCache(CACHED_STREAMS) });
  }

  handle(streamId: string, command: Command, options: HandleOptions): Promise<HandleResult<Event, State>> {
    return this.locks.run(streamId, () => this.inner.handle(streamId, command, options));
  }
}
