import { travellerHealthStreams } from '@city/contracts';
import { CommandHandler, foldEvents, type EventMetadata, type EventStore } from '@city/eventsourcing';
import { checkpointRegistryDecider, type Checkpoint, type CheckpointEvent } from '../domain/checkpoint-registry.decider';
import type { CommandContext } from '../domain/command-context';

/**
 * The checkpoints the city registered (stream `traveller-health.checkpoints`), kept in memory for
 * the hot path: a registration naming a checkpoint not in memory reads the stream again, so a
 * checkpoint registered through another replica is found at its first use.
 */
export class CheckpointCatalog {
  private checkpoints = new Map<string, Checkpoint>();
  private readonly handler: CommandHandler<
    Parameters<typeof checkpointRegistryDecider.decide>[0],
    CheckpointEvent,
    ReturnType<typeof checkpointRegistryDecider.initialState>
  >;

  constructor(private readonly store: EventStore) {
    this.handler = new CommandHandler(store, checkpointRegistryDecider);
  }

  async get(checkpointId: string): Promise<Checkpoint | undefined> {
    return this.checkpoints.get(checkpointId) ?? (await this.reload()).get(checkpointId);
  }

  async all(): Promise<Checkpoint[]> {
    return [...(await this.reload()).values()];
  }

  async register(
    checkpoint: Checkpoint,
    context: CommandContext,
    metadata: EventMetadata,
  ): Promise<{ streamId: string; version: number; eventsAppended: number }> {
    const streamId = travellerHealthStreams.checkpoints();
    const result = await this.handler.handle(streamId, { type: 'RegisterCheckpoint', data: checkpoint, metadata: context }, { metadata });
    this.checkpoints = new Map(result.state.checkpoints);
    return { streamId, version: result.nextExpectedVersion, eventsAppended: result.events.length };
  }

  private async reload(): Promise<Map<string, Checkpoint>> {
    const recorded = await this.store.readStream(travellerHealthStreams.checkpoints());
    const state = foldEvents(
      checkpointRegistryDecider,
      recorded.map((e) => ({ type: e.type, data: e.data }) as CheckpointEvent),
    );
    this.checkpoints = new Map(state.checkpoints);
    return this.checkpoints;
  }
}
