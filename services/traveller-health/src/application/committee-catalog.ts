import { travellerHealthStreams } from '@city/contracts';
import { CommandHandler, NO_STREAM_VERSION, type EventStore } from '@city/eventsourcing';
import {
  committeeRegistryDecider,
  type Committee,
  type CommitteeCommand,
  type CommitteeEvent,
  type CommitteeRegistryState,
} from '../domain/committee-registry.decider';
import { metadataOf, type RequestContext } from './traveller-streams';

export interface SubdistrictEntry {
  readonly subdistrictCode: string;
  readonly name: string;
  readonly committees: number;
}

export interface CommitteeEntry {
  readonly committeeCode: string;
  readonly name: string;
}

/**
 * The residents' committees each district registered (a stream per district), for the
 * registration page's lists. Each district's register is kept in memory with its stream
 * version; a read first takes the events appended since (by any replica), one short read.
 */
export class CommitteeCatalog {
  private readonly districts = new Map<string, { version: number; state: CommitteeRegistryState }>();
  private readonly handler: CommandHandler<CommitteeCommand, CommitteeEvent, CommitteeRegistryState>;

  constructor(
    private readonly store: EventStore,
    private readonly clock: () => Date,
  ) {
    this.handler = new CommandHandler(store, committeeRegistryDecider);
  }

  async register(
    ctx: RequestContext,
    districtCode: string,
    committees: readonly Committee[],
  ): Promise<{ streamId: string; version: number; eventsAppended: number }> {
    const streamId = travellerHealthStreams.committees(districtCode);
    const command: CommitteeCommand = {
      type: 'RegisterCommittees',
      data: { districtCode, committees },
      metadata: { actor: ctx.actor, now: this.clock().toISOString() },
    };
    const result = await this.handler.handle(streamId, command, { metadata: metadataOf(ctx) });
    return { streamId, version: result.nextExpectedVersion, eventsAppended: result.events.length };
  }

  /** The district's subdistricts with a registered committee, by code, with how many. */
  async subdistricts(districtCode: string): Promise<SubdistrictEntry[]> {
    const { committees, subdistricts } = await this.current(districtCode);
    const counts = new Map<string, number>();
    for (const c of committees.values()) counts.set(c.subdistrictCode, (counts.get(c.subdistrictCode) ?? 0) + 1);
    return [...counts]
      .map(([subdistrictCode, n]) => ({ subdistrictCode, name: subdistricts.get(subdistrictCode) ?? subdistrictCode, committees: n }))
      .sort((a, b) => a.subdistrictCode.localeCompare(b.subdistrictCode));
  }

  /** A subdistrict's committees, by code. */
  async committees(subdistrictCode: string): Promise<CommitteeEntry[]> {
    const { committees } = await this.current(subdistrictCode.slice(0, 6));
    return [...committees.values()]
      .filter((c) => c.subdistrictCode === subdistrictCode)
      .map((c) => ({ committeeCode: c.committeeCode, name: c.name }))
      .sort((a, b) => a.committeeCode.localeCompare(b.committeeCode));
  }

  private async current(districtCode: string): Promise<CommitteeRegistryState> {
    const known = this.districts.get(districtCode) ?? { version: NO_STREAM_VERSION, state: committeeRegistryDecider.initialState() };
    const recorded = await this.store.readStream(travellerHealthStreams.committees(districtCode), { fromVersion: known.version + 1 });
    if (recorded.length === 0) return known.state;
    const state = recorded.reduce((s, e) => committeeRegistryDecider.evolve(s, { type: e.type, data: e.data } as CommitteeEvent), known.state);
    this.districts.set(districtCode, { version: recorded[recorded.length - 1].streamVersion, state });
    return state;
  }
}
