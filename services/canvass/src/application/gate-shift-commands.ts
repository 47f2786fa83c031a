import { randomUUID } from 'node:crypto';
import { canvassStreams } from '@city/contracts';
import { foldEvents, SerialCommandHandler, type KeyedLock } from '@city/eventsourcing';
import { gateShiftDecider, type CompoundSnapshot, type GateShiftCommand, type GateShiftEvent, type GateShiftState } from '../domain/gate-shift.decider';
import { locationOf, unitDecider, type UnitEvent } from '../domain/unit.decider';
import type { CanvassReadModel } from './canvass-read-model';
import type { CommandPlumbing, CommandReceipt, RequestContext } from './command-plumbing';

export interface StartGateShiftInput {
  readonly shiftId?: string;
  readonly unitId: string;
  readonly gate: string;
  /** Defaults to the actor (a field official records their own duty). */
  readonly officialId?: string;
  readonly startedAt?: string;
}

export interface EndGateShiftInput {
  readonly endedAt?: string;
  readonly peopleChecked: number;
  readonly peopleRegistered: number;
}

/**
 * Commands on a gate shift (`canvass.gate-shift-<id>`). The no-overlap rule
 * spans the official's shifts, so each command reads them from the read model
 * while it holds the official's gate-duty lock (see gate-shift.decider.ts).
 */
export class GateShiftCommands {
  private readonly handler: SerialCommandHandler<GateShiftCommand, GateShiftEvent, GateShiftState>;

  constructor(
    private readonly plumbing: CommandPlumbing,
    private readonly readModel: CanvassReadModel,
    /** Gate-duty commands of one official run one at a time. */
    private readonly gateDutyByOfficial: KeyedLock,
  ) {
    this.handler = new SerialCommandHandler(plumbing.store, gateShiftDecider, { locks: plumbing.streamLocks });
  }

  startGateShift(ctx: RequestContext, input: StartGateShiftInput): Promise<CommandReceipt & { readonly shiftId: string }> {
    return this.plumbing.timed('StartGateShift', async () => {
      const shiftId = input.shiftId ?? randomUUID();
      const officialId = input.officialId ?? ctx.actor.sub;
      return this.gateDutyByOfficial.run(officialId, async () => {
        const compound = await this.compound(input.unitId);
        await this.readModel.catchUp();
        const streamId = canvassStreams.gateShift(shiftId);
        const result = await this.handler.handle(
          streamId,
          {
            type: 'StartGateShift',
            data: {
              shiftId,
              unitId: input.unitId,
              gate: input.gate,
              officialId,
              ...(input.startedAt === undefined ? {} : { startedAt: input.startedAt }),
              compound,
              otherShiftsOfOfficial: await this.readModel.shiftsOf(officialId),
            },
            metadata: this.plumbing.context(ctx),
          },
          { metadata: this.plumbing.metadata(ctx) },
        );
        return { shiftId, ...(await this.plumbing.receipt(streamId, result, (e) => e.type === 'GateShiftStarted')) };
      });
    });
  }

  endGateShift(ctx: RequestContext, shiftId: string, input: EndGateShiftInput): Promise<CommandReceipt & { readonly shiftId: string }> {
    return this.plumbing.timed('EndGateShift', async () => {
      const streamId = canvassStreams.gateShift(shiftId);
      // Whom the shift belongs to never changes, so the handler's copy serves; the command then decides on it without a second read.
      const current = await this.handler.state(streamId);
      // An unknown shift has no official to serialise on; the decider refuses it.
      const officialId = current.status === 'not-started' ? `unknown-shift:${shiftId}` : current.started.officialId;
      return this.gateDutyByOfficial.run(officialId, async () => {
        await this.readModel.catchUp();
        const result = await this.handler.handle(
          streamId,
          {
            type: 'EndGateShift',
            data: {
              shiftId,
              ...(input.endedAt === undefined ? {} : { endedAt: input.endedAt }),
              peopleChecked: input.peopleChecked,
              peopleRegistered: input.peopleRegistered,
              otherShiftsOfOfficial: await this.readModel.shiftsOf(officialId),
            },
            metadata: this.plumbing.context(ctx),
          },
          { metadata: this.plumbing.metadata(ctx) },
        );
        return { shiftId, ...(await this.plumbing.receipt(streamId, result, (e) => e.type === 'GateShiftEnded')) };
      });
    });
  }

  /** The compound a shift is at, as its unit stream says now; null when there is no such unit. */
  private async compound(unitId: string): Promise<CompoundSnapshot | null> {
    const state = foldEvents(unitDecider, await this.plumbing.readEvents<UnitEvent>(canvassStreams.unit(unitId)));
    if (state.status === 'unregistered') return null;
    return { ...locationOf(state), unitId: state.registration.unitId, kind: state.registration.kind, status: state.status, officialId: state.officialId };
  }
}
