import { CommandHandler, type Decider, type DomainEvent, type EventStore, type HandleOptions, type HandleResult } from '@city/eventsourcing';
import { KeyedMutex } from './keyed-mutex';

/**
 * The event-sourcing CommandHandler, with the commands of one stream run one
 * at a time within this process. Without it, a burst of visits to one unit
 * would race for the same stream version and some would exhaust their
 * conflict retries; with it, only writers on other instances can conflict,
 * and the CommandHandler's reload-and-retry handles those.
 */
export class SerialCommandHandler<Command, Event extends DomainEvent, State> {
  private readonly inner: CommandHandler<Command, Event, State>;

  constructor(
    store: EventStore,
    decider: Decider<Command, Event, State>,
    private readonly locks: KeyedMutex,
  ) {
    this.inner = new CommandHandler(store, decider);
  }

  handle(streamId: string, command: Command, options: HandleOptions): Promise<HandleResult<Event, State>> {
    return this.locks.run(streamId, () => this.inner.handle(streamId, command, options));
  }
}
