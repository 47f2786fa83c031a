import { canvassStreams } from '@city/contracts';
import { SerialCommandHandler } from '@city/eventsourcing';
import {
  districtRegistryDecider,
  type DistrictRegistryCommand,
  type DistrictRegistryEvent,
  type DistrictRegistryState,
} from '../domain/district-registry.decider';
import type { CommandPlumbing, CommandReceipt, RequestContext } from './command-plumbing';

export interface RegisterSubdistrictInput {
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly name: string;
}

/** Commands on a district's registry of subdistricts (`canvass.district-<code>`). */
export class DistrictCommands {
  private readonly handler: SerialCommandHandler<DistrictRegistryCommand, DistrictRegistryEvent, DistrictRegistryState>;

  constructor(private readonly plumbing: CommandPlumbing) {
    this.handler = new SerialCommandHandler(plumbing.store, districtRegistryDecider, { locks: plumbing.streamLocks });
  }

  registerSubdistrict(ctx: RequestContext, input: RegisterSubdistrictInput): Promise<CommandReceipt> {
    return this.plumbing.timed('RegisterSubdistrict', async () => {
      const { districtCode, subdistrictCode, name } = input;
      const streamId = canvassStreams.district(districtCode);
      const result = await this.handler.handle(
        streamId,
        { type: 'RegisterSubdistrict', data: { districtCode, subdistrictCode, name }, metadata: this.plumbing.context(ctx) },
        { metadata: this.plumbing.metadata(ctx) },
      );
      return this.plumbing.receipt(streamId, result, (e) => e.data.subdistrictCode === subdistrictCode);
    });
  }
}
