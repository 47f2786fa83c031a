import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '../event';
import { ConcurrencyError } from '../errors';
import type { AppendResult, EventStore, ExpectedVersion, ReadAllOptions, ReadStreamOptions, SubscribeToAllOptions, Subscription } from '../event-store';
import { NO_STREAM_VERSION } from '../event-store';

/**
 * An in-memory double of the event-store port, for unit tests of pure logic
 * (command handler, deciders wired to a store). Never used in integration tests.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly listeners = new Set<() => void>();

  async appendToStream(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    const stream = this.streams.get(streamId) ?? [];
    const actual = stream.length - 1;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && actual === NO_STREAM_VERSION) ||
      (expected === 'stream_exists' && actual !== NO_STREAM_VERSION) ||
      expected === actual;
    if (!ok) throw new ConcurrencyError(streamId, String(expected), actual);
    const now = new Date().toISOString();
    for (const e of events) {
      const recorded: RecordedEvent = { ...e, streamId, streamVersion: stream.length, globalPosition: BigInt(this.log.length + 1), recordedAt: now };
      stream.push(recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamId, stream);
    this.listeners.forEach((l) => l());
    return { nextExpectedVersion: stream.length - 1, lastPosition: BigInt(this.log.length) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return (this.streams.get(streamId) ?? []).filter((e) => e.streamVersion >= (options.fromVersion ?? 0));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0n;
    return this.log
      .filter((e) => e.globalPosition > after && (!options.streamPrefix || e.streamId.startsWith(options.streamPrefix)))
      .slice(0, options.limit ?? 1000);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    let position = options.after ?? 0n;
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    const pump = () => {
      running = running
        .then(async () => {
          while (!stopped) {
            const batch = await this.readAll({ after: position, limit: options.batchSize ?? 500, streamPrefix: options.streamPrefix });
            const head = BigInt(this.log.length);
            if (batch.length === 0) {
              position = head;
              return;
            }
            await options.onEvents(batch);
            position = batch[batch.length - 1].globalPosition;
          }
        })
        .catch((error: Error) => options.onError?.(error));
    };
    this.listeners.add(pump);
    pump();
    running.then(() => options.onLive?.());
    return {
      stop: async () => {
        stopped = true;
        this.listeners.delete(pump);
        await running;
      },
    };
  }

  /** Each instance is a log of its own. */
  private readonly id = `memory:${randomUUID()}`;

  async identity(): Promise<string> {
    return this.id;
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.log.length);
  }

  async ping(): Promise<void> {
    // Always reachable: it lives in this process.
  }

  async close(): Promise<void> {
    // Nothing to release.
  }
}
