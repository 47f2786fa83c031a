import type { EventStore, KeyedLock } from '@city/eventsourcing';
import { KeyedMutex } from '@city/eventsourcing';
import type { CanvassReadModel } from './canvass-read-model';
import { CommandPlumbing, type CommandMetrics } from './command-plumbing';
import { DistrictCommands } from './district-commands';
import { GateShiftCommands } from './gate-shift-commands';
import { UnitCommands } from './unit-commands';

export type { CommandMetrics, CommandReceipt, RequestContext } from './command-plumbing';
export type { RegisterSubdistrictInput } from './district-commands';
export type { RecordDoorstepServiceInput, RecordVisitInput, RegisterUnitInput } from './unit-commands';
export type { EndGateShiftInput, StartGateShiftInput } from './gate-shift-commands';

export interface CanvassCommandsOptions {
  readonly store: EventStore;
  readonly readModel: CanvassReadModel;
  readonly metrics?: CommandMetrics;
  /** Server clock; tests pin it. */
  readonly clock?: () => Date;
  /**
   * Serialises an official's gate-duty commands, so that the no-overlap rule
   * sees every other shift of the official. Default: within this process
   * (KeyedMutex), enough for one replica; several replicas need one across
   * them (PgKeyedLock of @city/sql in stack mode).
   */
  readonly gateDutyLock?: KeyedLock;
}

/**
 * The canvass command handlers, one class per aggregate (districts' registries,
 * units, gate shifts), behind the one entry point the API uses. Each loads what
 * its decider needs, builds the command with actor and time, and runs the
 * decider through the SerialCommandHandler of @city/eventsourcing, which checks
 * the client's expected version, appends with optimistic concurrency and
 * retries on a conflict.
 */
export class CanvassCommands {
  readonly registerSubdistrict: DistrictCommands['registerSubdistrict'];
  readonly registerUnit: UnitCommands['registerUnit'];
  readonly updateUnitSize: UnitCommands['updateUnitSize'];
  readonly retireUnit: UnitCommands['retireUnit'];
  readonly assignOfficial: UnitCommands['assignOfficial'];
  readonly recordVisit: UnitCommands['recordVisit'];
  readonly recordDoorstepService: UnitCommands['recordDoorstepService'];
  readonly startGateShift: GateShiftCommands['startGateShift'];
  readonly endGateShift: GateShiftCommands['endGateShift'];

  constructor(options: CanvassCommandsOptions) {
    const plumbing = new CommandPlumbing(options.store, new KeyedMutex(), options.clock ?? (() => new Date()), options.metrics);
    const districts = new DistrictCommands(plumbing);
    const units = new UnitCommands(plumbing);
    const shifts = new GateShiftCommands(plumbing, options.readModel, options.gateDutyLock ?? new KeyedMutex());
    this.registerSubdistrict = districts.registerSubdistrict.bind(districts);
    this.registerUnit = units.registerUnit.bind(units);
    this.updateUnitSize = units.updateUnitSize.bind(units);
    this.retireUnit = units.retireUnit.bind(units);
    this.assignOfficial = units.assignOfficial.bind(units);
    this.recordVisit = units.recordVisit.bind(units);
    this.recordDoorstepService = units.recordDoorstepService.bind(units);
    this.startGateShift = shifts.startGateShift.bind(shifts);
    this.endGateShift = shifts.endGateShift.bind(shifts);
  }
}
