import { randomUUID } from 'node:crypto';
import { canvassStreams, type CanvassFindings, type DoorstepServiceKind, type UnitProfile, type UnitSize } from '@city/contracts';
import { foldEvents, type DomainEvent, type EventMetadata, type EventStore } from '@city/eventsourcing';
import type { Actor, CommandContext } from '../domain/actor';
import {
  districtRegistryDecider,
  registeredSubdistrictCodes,
  type DistrictRegistryCommand,
  type DistrictRegistryEvent,
  type DistrictRegistryState,
} from '../domain/district-registry.decider';
import { gateShiftDecider, type CompoundSnapshot, type GateShiftCommand, type GateShiftEvent, type GateShiftState } from '../domain/gate-shift.decider';
import { unitDecider, type UnitCommand, type UnitEvent, type UnitState } from '../domain/unit.decider';
import type { CanvassReadModel } from './canvass-read-model';
import { KeyedMutex, type KeyedLock } from './keyed-mutex';
import { SerialCommandHandler } from './serial-command-handler';

/** Who sent the request, and the id that ties together everything it causes. */
export interface RequestContext {
  readonly actor: Actor;
  readonly correlationId: string;
}

/** What a command answers: the stream it touched and its version. */
export interface CommandReceipt {
  readonly streamId: string;
  /**
   * Version of the stream after the command. For a retried visit, doorstep
   * service, registration or shift start: the version at which it was first recorded.
   */
  readonly version: number;
  /** Events this call appended: 0 for an idempotent retry or a command that changed nothing. */
  readonly eventsAppended: number;
}

/** The metrics a command service reports; CityMetrics of @city/observability fits. */
export interface CommandMetrics {
  timeCommand<T>(command: string, fn: () => Promise<T>): Promise<T>;
  recordEventsAppended(types: readonly string[]): void;
}

export interface CanvassCommandsOptions {
  readonly store: EventStore;
  readonly readModel: CanvassReadModel;
  readonly metrics?: CommandMetrics;
  /** Server clock; tests pin it. */
  readonly clock?: () => Date;
  /**
   * Serialises an official's gate-duty commands, so that the no-overlap rule
   * sees every other shift of the official. Default: within this process,
   * enough for one replica; several replicas need one across them
   * (PgKeyedLock of @city/sql in stack mode).
   */
  readonly gateDutyLock?: KeyedLock;
}

export interface RegisterSubdistrictInput {
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly name: string;
}

export interface RegisterUnitInput extends Omit<UnitProfile, 'unitId'> {
  /** Client-chosen id makes the registration safe to retry; generated when absent. */
  readonly unitId?: string;
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
 * The canvass command handlers: each loads what its decider needs (the
 * district's registered subdistricts, the compound of a gate shift, the
 * official's other shifts), builds the command with actor and time, and runs
 * the decider through the event-sourcing CommandHandler, which appends with
 * optimistic concurrency and retries on a conflict.
 */
export class CanvassCommands {
  private readonly store: EventStore;
  private readonly readModel: CanvassReadModel;
  private readonly metrics?: CommandMetrics;
  private readonly clock: () => Date;
  private readonly units: SerialCommandHandler<UnitCommand, UnitEvent, UnitState>;
  private readonly districts: SerialCommandHandler<DistrictRegistryCommand, DistrictRegistryEvent, DistrictRegistryState>;
  private readonly shifts: SerialCommandHandler<GateShiftCommand, GateShiftEvent, GateShiftState>;
  /** A unit never moves, so its district (for the event metadata) is cached once known. */
  private readonly unitDistricts = new Map<string, string>();
  /** Gate-duty commands of one official run one at a time (see gate-shift.decider.ts). */
  private readonly gateDutyByOfficial: KeyedLock;

  constructor(options: CanvassCommandsOptions) {
    this.store = options.store;
    this.readModel = options.readModel;
    this.metrics = options.metrics;
    this.clock = options.clock ?? (() => new Date());
    this.gateDutyByOfficial = options.gateDutyLock ?? new KeyedMutex();
    const streamLocks = new KeyedMutex();
    this.units = new SerialCommandHandler(this.store, unitDecider, streamLocks);
    this.districts = new SerialCommandHandler(this.store, districtRegistryDecider, streamLocks);
    this.shifts = new SerialCommandHandler(this.store, gateShiftDecider, streamLocks);
  }

  registerSubdistrict(ctx: RequestContext, input: RegisterSubdistrictInput): Promise<CommandReceipt> {
    return this.timed('RegisterSubdistrict', async () => {
      const streamId = canvassStreams.district(input.districtCode);
      const result = await this.districts.handle(
        streamId,
        { type: 'RegisterSubdistrict', data: { districtCode: input.districtCode, subdistrictCode: input.subdistrictCode, name: input.name }, metadata: this.context(ctx) },
        { metadata: this.metadata(ctx, input.districtCode) },
      );
      const registered = result.state.status === 'active' ? result.state.subdistricts.get(input.subdistrictCode) : undefined;
      return this.receipt(streamId, registered?.version ?? result.nextExpectedVersion, result.events);
    });
  }

  registerUnit(ctx: RequestContext, input: RegisterUnitInput): Promise<CommandReceipt & { readonly unitId: string }> {
    return this.timed('RegisterUnit', async () => {
      const unitId = input.unitId ?? randomUUID();
      const district = foldEvents(districtRegistryDecider, await this.readEvents<DistrictRegistryEvent>(canvassStreams.district(input.districtCode)));
      const streamId = canvassStreams.unit(unitId);
      const result = await this.units.handle(
        streamId,
        {
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
          metadata: this.context(ctx),
        },
        { metadata: this.metadata(ctx, input.districtCode) },
      );
      return { unitId, ...this.receipt(streamId, 0, result.events) };
    });
  }

  updateUnitSize(ctx: RequestContext, unitId: string, input: { size: UnitSize; expectedVersion?: number }): Promise<CommandReceipt> {
    return this.onUnit('UpdateUnitSize', ctx, unitId, (metadata) => ({ type: 'UpdateUnitSize', data: { unitId, size: input.size, ...versioned(input) }, metadata }));
  }

  retireUnit(ctx: RequestContext, unitId: string, input: { reason?: string; expectedVersion?: number }): Promise<CommandReceipt> {
    return this.onUnit('RetireUnit', ctx, unitId, (metadata) => ({
      type: 'RetireUnit',
      data: { unitId, ...(input.reason === undefined ? {} : { reason: input.reason }), ...versioned(input) },
      metadata,
    }));
  }

  assignOfficial(ctx: RequestContext, unitId: string, input: { officialId: string; expectedVersion?: number }): Promise<CommandReceipt> {
    return this.onUnit('AssignResponsibleOfficial', ctx, unitId, (metadata) => ({
      type: 'AssignResponsibleOfficial',
      data: { unitId, officialId: input.officialId, ...versioned(input) },
      metadata,
    }));
  }

  recordVisit(ctx: RequestContext, unitId: string, input: RecordVisitInput): Promise<CommandReceipt & { readonly visitId: string }> {
    return this.timed('RecordCanvassVisit', async () => {
      const receipt = await this.onUnitUntimed(ctx, unitId, (metadata) => ({ type: 'RecordCanvassVisit', data: { unitId, ...input }, metadata }), (state) =>
        state.status === 'unregistered' ? undefined : state.visits.get(input.visitId),
      );
      return { visitId: input.visitId, ...receipt };
    });
  }

  recordDoorstepService(ctx: RequestContext, unitId: string, input: RecordDoorstepServiceInput): Promise<CommandReceipt & { readonly serviceId: string }> {
    return this.timed('RecordDoorstepService', async () => {
      const deliveredAt = input.deliveredAt ?? this.now();
      const receipt = await this.onUnitUntimed(
        ctx,
        unitId,
        (metadata) => ({ type: 'RecordDoorstepService', data: { unitId, serviceId: input.serviceId, kind: input.kind, households: input.households, deliveredAt }, metadata }),
        (state) => (state.status === 'unregistered' ? undefined : state.services.get(input.serviceId)),
      );
      return { serviceId: input.serviceId, ...receipt };
    });
  }

  startGateShift(ctx: RequestContext, input: StartGateShiftInput): Promise<CommandReceipt & { readonly shiftId: string }> {
    return this.timed('StartGateShift', async () => {
      const shiftId = input.shiftId ?? randomUUID();
      const officialId = input.officialId ?? ctx.actor.sub;
      return this.gateDutyByOfficial.run(officialId, async () => {
        const compound = await this.compound(input.unitId);
        await this.readModel.catchUp();
        const streamId = canvassStreams.gateShift(shiftId);
        const result = await this.shifts.handle(
          streamId,
          {
            type: 'StartGateShift',
            data: {
              shiftId,
              unitId: input.unitId,
              gate: input.gate,
              officialId,
              startedAt: input.startedAt ?? this.now(),
              compound,
              otherShiftsOfOfficial: this.readModel.shiftsOf(officialId),
            },
            metadata: this.context(ctx),
          },
          { metadata: this.metadata(ctx, compound?.districtCode) },
        );
        return { shiftId, ...this.receipt(streamId, 0, result.events) };
      });
    });
  }

  endGateShift(ctx: RequestContext, shiftId: string, input: EndGateShiftInput): Promise<CommandReceipt & { readonly shiftId: string }> {
    return this.timed('EndGateShift', async () => {
      const streamId = canvassStreams.gateShift(shiftId);
      const current = foldEvents(gateShiftDecider, await this.readEvents<GateShiftEvent>(streamId));
      // An unknown shift has no official to serialise on; the decider refuses it.
      const officialId = current.status === 'not-started' ? `unknown-shift:${shiftId}` : current.started.officialId;
      return this.gateDutyByOfficial.run(officialId, async () => {
        await this.readModel.catchUp();
        const result = await this.shifts.handle(
          streamId,
          {
            type: 'EndGateShift',
            data: {
              shiftId,
              endedAt: input.endedAt ?? this.now(),
              peopleChecked: input.peopleChecked,
              peopleRegistered: input.peopleRegistered,
              otherShiftsOfOfficial: this.readModel.shiftsOf(officialId),
            },
            metadata: this.context(ctx),
          },
          { metadata: this.metadata(ctx, current.status === 'not-started' ? undefined : current.started.districtCode) },
        );
        const endedAtVersion = result.state.status === 'ended' ? 1 : result.nextExpectedVersion;
        return { shiftId, ...this.receipt(streamId, endedAtVersion, result.events) };
      });
    });
  }

  // ---- plumbing --------------------------------------------------------------

  private onUnit(name: string, ctx: RequestContext, unitId: string, build: (metadata: CommandContext) => UnitCommand): Promise<CommandReceipt> {
    return this.timed(name, () => this.onUnitUntimed(ctx, unitId, build));
  }

  /** Runs a command on a unit stream; `recordedAt` finds the version of an idempotently retried record. */
  private async onUnitUntimed(
    ctx: RequestContext,
    unitId: string,
    build: (metadata: CommandContext) => UnitCommand,
    recordedAt?: (state: UnitState) => number | undefined,
  ): Promise<CommandReceipt> {
    const streamId = canvassStreams.unit(unitId);
    const district = await this.districtOfUnit(unitId);
    const result = await this.units.handle(streamId, build(this.context(ctx)), { metadata: this.metadata(ctx, district) });
    return this.receipt(streamId, recordedAt?.(result.state) ?? result.nextExpectedVersion, result.events);
  }

  /** The district of a unit goes into the event metadata (ce_district); its first event says it. */
  private async districtOfUnit(unitId: string): Promise<string | undefined> {
    const cached = this.unitDistricts.get(unitId);
    if (cached !== undefined) return cached;
    const [first] = await this.store.readStream(canvassStreams.unit(unitId));
    const data = first?.data as { districtCode?: unknown } | undefined;
    if (typeof data?.districtCode !== 'string') return undefined;
    this.unitDistricts.set(unitId, data.districtCode);
    return data.districtCode;
  }

  private async compound(unitId: string): Promise<CompoundSnapshot | null> {
    const state = foldEvents(unitDecider, await this.readEvents<UnitEvent>(canvassStreams.unit(unitId)));
    if (state.status === 'unregistered') return null;
    return { ...state.location, unitId: state.unitId, kind: state.kind, status: state.status, officialId: state.officialId };
  }

  /** A stream's events as its decider knows them (canvass streams hold only that decider's events). */
  private async readEvents<E extends DomainEvent>(streamId: string): Promise<E[]> {
    const recorded = await this.store.readStream(streamId);
    return recorded.map((e) => ({ type: e.type, data: e.data }) as E);
  }

  /** Counts the command by outcome (refusals by reason are counted by the HTTP error filter). */
  private timed<T>(command: string, work: () => Promise<T>): Promise<T> {
    return this.metrics ? this.metrics.timeCommand(command, work) : work();
  }

  private receipt(streamId: string, version: number, events: readonly DomainEvent[]): CommandReceipt {
    if (events.length > 0) this.metrics?.recordEventsAppended(events.map((e) => e.type));
    return { streamId, version, eventsAppended: events.length };
  }

  private context(ctx: RequestContext): CommandContext {
    return { actor: ctx.actor, now: this.now() };
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private metadata(ctx: RequestContext, district: string | undefined): EventMetadata {
    return {
      correlationId: ctx.correlationId,
      // The HTTP request is the command that directly causes the events.
      causationId: ctx.correlationId,
      actorId: ctx.actor.sub,
      actorRole: ctx.actor.role,
      ...(district === undefined ? {} : { district }),
    };
  }
}

function versioned(input: { expectedVersion?: number }): { expectedVersion?: number } {
  return input.expectedVersion === undefined ? {} : { expectedVersion: input.expectedVersion };
}
