import { randomUUID } from 'node:crypto';
import { canvassStreams, type CanvassFindings, type DoorstepServiceKind, type UnitProfile, type UnitSize } from '@city/contracts';
import { foldEvents, SerialCommandHandler } from '@city/eventsourcing';
import type { CommandContext } from '../domain/command-context';
import { districtRegistryDecider, registeredSubdistrictCodes, type DistrictRegistryEvent } from '../domain/district-registry.decider';
import { unitDecider, type UnitCommand, type UnitEvent, type UnitState } from '../domain/unit.decider';
import type { CommandPlumbing, CommandReceipt, RequestContext } from './command-plumbing';

export interface RegisterUnitInput extends Omit<UnitProfile, 'unitId'> {
  /** Client-chosen id makes the registration safe to retry; generated when absent. */
  readonly unitId?: string;
}

/** The stream version the client last saw (GET /units/{unitId}); the handler answers 409 if the unit changed since. */
export interface Versioned {
  readonly expectedVersion?: number;
}

export interface RecordVisitInput {
  readonly visitId: string;
  readonly visitedAt: string;
  readonly findings: CanvassFindings;
}

export interface RecordDoorstepServiceInput {
  readonly serviceId: string;
  readonly kind: DoorstepServiceKind;
  readonly households: number;
  readonly deliveredAt?: string;
}

/** Commands on a unit (`canvass.unit-<id>`): registration, size, assignment, retirement, visits, doorstep services. */
export class UnitCommands {
  private readonly handler: SerialCommandHandler<UnitCommand, UnitEvent, UnitState>;

  constructor(private readonly plumbing: CommandPlumbing) {
    this.handler = new SerialCommandHandler(plumbing.store, unitDecider, { locks: plumbing.streamLocks });
  }

  registerUnit(ctx: RequestContext, input: RegisterUnitInput): Promise<CommandReceipt & { readonly unitId: string }> {
    return this.plumbing.timed('RegisterUnit', async () => {
      const unitId = input.unitId ?? randomUUID();
      const district = foldEvents(districtRegistryDecider, await this.plumbing.readEvents<DistrictRegistryEvent>(canvassStreams.district(input.districtCode)));
      const receipt = await this.run(
        ctx,
        unitId,
        (metadata) => ({
          type: 'RegisterUnit',
          data: {
            unitId,
            kind: input.kind,
            name: input.name,
            address: input.address,
            districtCode: input.districtCode,
            subdistrictCode: input.subdistrictCode,
            ...(input.residentsCommittee === undefined ? {} : { residentsCommittee: input.residentsCommittee }),
            size: input.size,
            registeredSubdistricts: registeredSubdistrictCodes(district),
          },
          metadata,
        }),
        { recorded: (e) => e.type === 'UnitRegistered' },
      );
      return { unitId, ...receipt };
    });
  }

  updateUnitSize(ctx: RequestContext, unitId: string, input: Versioned & { size: UnitSize }): Promise<CommandReceipt> {
    const { expectedVersion } = input;
    return this.plumbing.timed('UpdateUnitSize', () =>
      this.run(ctx, unitId, (metadata) => ({ type: 'UpdateUnitSize', data: { unitId, size: input.size }, metadata }), { expectedVersion }),
    );
  }

  retireUnit(ctx: RequestContext, unitId: string, input: Versioned & { reason?: string }): Promise<CommandReceipt> {
    const data = { unitId, ...(input.reason === undefined ? {} : { reason: input.reason }) };
    const { expectedVersion } = input;
    return this.plumbing.timed('RetireUnit', () => this.run(ctx, unitId, (metadata) => ({ type: 'RetireUnit', data, metadata }), { expectedVersion }));
  }

  assignOfficial(ctx: RequestContext, unitId: string, input: Versioned & { officialId: string }): Promise<CommandReceipt> {
    const { expectedVersion } = input;
    return this.plumbing.timed('AssignResponsibleOfficial', () =>
      this.run(ctx, unitId, (metadata) => ({ type: 'AssignResponsibleOfficial', data: { unitId, officialId: input.officialId }, metadata }), {
        expectedVersion,
      }),
    );
  }

  recordVisit(ctx: RequestContext, unitId: string, input: RecordVisitInput): Promise<CommandReceipt & { readonly visitId: string }> {
    return this.plumbing.timed('RecordCanvassVisit', async () => {
      const receipt = await this.run(ctx, unitId, (metadata) => ({ type: 'RecordCanvassVisit', data: { unitId, ...input }, metadata }), {
        recorded: (e) => e.type === 'CanvassVisitRecorded' && e.data.visitId === input.visitId,
      });
      return { visitId: input.visitId, ...receipt };
    });
  }

  recordDoorstepService(ctx: RequestContext, unitId: string, input: RecordDoorstepServiceInput): Promise<CommandReceipt & { readonly serviceId: string }> {
    return this.plumbing.timed('RecordDoorstepService', async () => {
      const data = {
        unitId,
        serviceId: input.serviceId,
        kind: input.kind,
        households: input.households,
        ...(input.deliveredAt === undefined ? {} : { deliveredAt: input.deliveredAt }),
      };
      const receipt = await this.run(ctx, unitId, (metadata) => ({ type: 'RecordDoorstepService', data, metadata }), {
        recorded: (e) => e.type === 'DoorstepServiceDelivered' && e.data.serviceId === input.serviceId,
      });
      return { serviceId: input.serviceId, ...receipt };
    });
  }

  /** Runs a command on a unit stream; `recorded` finds the record an idempotent retry repeats. */
  private async run(
    ctx: RequestContext,
    unitId: string,
    build: (metadata: CommandContext) => UnitCommand,
    options: { readonly expectedVersion?: number; readonly recorded?: (event: UnitEvent) => boolean } = {},
  ): Promise<CommandReceipt> {
    const streamId = canvassStreams.unit(unitId);
    const result = await this.handler.handle(streamId, build(this.plumbing.context(ctx)), {
      metadata: this.plumbing.metadata(ctx),
      ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    });
    return this.plumbing.receipt(streamId, result, options.recorded);
  }
}
