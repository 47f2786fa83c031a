import { CommandHandler, type HandleOptions, type HandleResult } from './command-handler';
import type { Decider } from './decider';
import type { DomainEvent } from './event';
import type { EventStore } from './event-store';
import { KeyedMutex, type KeyedLock } from './keyed-lock';
import { StreamStateCache } from './stream-state-cache';

/**
 * Streams whose state stays in memory per decider by default. A unit's state
 * is a few hundred bytes, so the bound is some megabytes; a field day touches
 * far fewer streams than this per replica.
 */
const CACHED_STREAMS = 20_000;

export interface SerialCommandHandlerOptions {
  /** Serialises the commands of one stream; share one between handlers of the same store. Default: a KeyedMutex of its own. */
  readonly locks?: KeyedLock;
  /** Streams whose state is kept (default 20,000). */
  readonly cachedStreams?: number;
}

/**
 * The CommandHandler, with the commands of one stream run one at a time
 * within this process. Without it, a burst of commands on one stream (visits
 * to one unit) would race for the same stream version and some would exhaust
 * their conflict retries; with it, only writers on other instances can
 * conflict, and the CommandHandler's reload-and-retry handles those.
 *
 * Because this process serialises a stream's commands, it also keeps the
 * state each command leaves behind, and the next command on that stream
 * decides without reading it back: one database round trip per command
 * instead of two.
 */
export class SerialCommandHandler<Command, Event extends DomainEvent, State> {
  private readonly inner: CommandHandler<Command, Event, State>;
  private readonly locks: KeyedLock;

  constructor(store: EventStore, decider: Decider<Command, Event, State>, options: SerialCommandHandlerOptions = {}) {
    this.locks = options.locks ?? new KeyedMutex();
    this.inner = new CommandHandler(store, decider, { cache: new StreamStateCache(options.cachedStreams ?? CACHED_STREAMS) });
  }

  handle(streamId: string, command: Command, options: HandleOptions<Event>): Promise<HandleResult<Event, State>> {
    return this.locks.run(streamId, () => this.inner.handle(streamId, command, options));
  }

  /** See CommandHandler.state: the cached or freshly read state, which the next command then decides on without reading. */
  state(streamId: string): Promise<State> {
    return this.inner.state(streamId);
  }
}
