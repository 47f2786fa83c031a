import type { AllStreamResolvedEvent, EventStoreDBClient, Filter, Position } from '@eventstore/db-client';
import { START, excludeSystemEvents, streamNameFilter } from '@eventstore/db-client';
import type { RecordedEvent } from '@city/eventsourcing';
import { commitPositionOf, isCityEvent, toReadPosition, toRecordedEvent } from './esdb-mapping';

/**
 * The server-side filter of a `$all` read or subscription: the stream-name
 * prefix when there is one (`canvass.`), otherwise every event but the system
 * ones (`$`-types: metadata, stats, projections' state). The server then skips
 * what does not match, so a reader does not scan all of `$all` on the client.
 * `onCheckpoint` hears the server's filter checkpoints: how far it has searched.
 */
export function serverFilter(streamPrefix: string | undefined, onCheckpoint: (position: Position) => void): Filter {
  const checkpointReached = (_: unknown, position: Position) => onCheckpoint(position);
  return streamPrefix ? streamNameFilter({ prefixes: [streamPrefix], checkpointReached }) : excludeSystemEvents({ checkpointReached });
}

export interface FilteredReadOptions {
  /** Events strictly after this commit position. */
  readonly after: bigint;
  readonly limit: number;
  readonly streamPrefix?: string;
  /** The head of `$all` read before: the read ends once the server has searched up to it. */
  readonly head: bigint;
}

/**
 * Up to `limit` events of `$all` after `after`, filtered on the server.
 * `readAll` of @eventstore/db-client 6.2 sends no filter (`NoFilter`), so the
 * read is a filtered catch-up subscription that ends when it has `limit`
 * events or has searched up to `head`: an event at or past it, a filter
 * checkpoint at or past it, or the server's caught-up signal (servers 23.10+,
 * KurrentDB). Events buffered before either signal are still taken.
 */
export function readAllFiltered(client: EventStoreDBClient, options: FilteredReadOptions): Promise<RecordedEvent[]> {
  const { after, limit, streamPrefix, head } = options;
  const found: RecordedEvent[] = [];
  return new Promise<RecordedEvent[]>((resolve, reject) => {
    let settled = false;
    /** The server has searched up to the head: what is still buffered is the rest. */
    let searched = false;
    const subscription = client.subscribeToAll({
      fromPosition: after > 0n ? toReadPosition(after) : START,
      filter: serverFilter(streamPrefix, (checkpoint) => checkpoint.commit >= head && reachedHead()),
      resolveLinkTos: false,
    });
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      void subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
      if (error === undefined) resolve(found);
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const reachedHead = (): void => {
      searched = true;
      if (subscription.readableLength === 0) finish();
    };
    subscription.on('caughtUp', reachedHead);
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (settled) return;
      const event = resolved.event;
      const position = event ? commitPositionOf(event) : undefined;
      // The subscription starts AT `after`; the client check stays for links and non-JSON events.
      if (event && position !== undefined && position > after && isCityEvent(event, streamPrefix)) found.push(toRecordedEvent(event));
      if (found.length >= limit || (position !== undefined && position >= head) || (searched && subscription.readableLength === 0)) finish();
    });
    subscription.on('error', (error: unknown) => finish(error));
    subscription.on('end', () => finish());
  });
}
