import { addDays, cityDayBounds, cityDayOf } from '@city/city-time';
import type { CheckInSlot, CommunityPlace, ReferralOutcome } from '@city/contracts';
import type { CommandScheduler, DueCommand } from '@city/scheduler';
import { eventIdOfCommand } from '@city/scheduler';
import { OBSERVATION_DAYS, travellerDecider, type TravellerCommand, type TravellerEvent } from '../domain/traveller.decider';
import type { PersonalDataVault } from './personal-data-vault';
import { RetentionKind } from './retention';
import { SCHEDULER_ACTOR, type RequestContext, type TravellerReceipt, type TravellerStreams } from './traveller-streams';

/** When the window of a check-in closes (city time): a check-in not made by then is missed and flagged the same day. */
export const CHECK_IN_DEADLINES: Readonly<Record<CheckInSlot, number>> = { morning: 12, evening: 22 };
const HOUR_MS = 3_600_000;

/** The moment the window of a day's check-in closes. */
export function checkInDeadline(day: string, slot: CheckInSlot): Date {
  return new Date(cityDayBounds(day).start + CHECK_IN_DEADLINES[slot] * HOUR_MS);
}

export const ScheduledKind = {
  checkInDue: 'traveller-health.check-in-due',
  releaseDue: 'traveller-health.release-due',
  /** Issued by `Retention`, which registers its handler. */
  erasureDue: RetentionKind.erasureDue,
} as const;

export interface ObservationCommandsOptions {
  readonly streams: TravellerStreams;
  readonly vault: PersonalDataVault;
  readonly scheduler: CommandScheduler;
  readonly feverThresholdC: number;
  /** Days after release before the person's data key is destroyed (the erasure itself is `Retention`'s). */
  readonly retentionDays: number;
  readonly clock: () => Date;
}

/**
 * Home observation: what community staff and the person do (start, check-ins, flags, referrals,
 * transfer) and what the clock does (missed check-ins, release on day 15, erasure after the
 * retention period), the latter through the durable scheduler as ordinary commands.
 */
export class ObservationCommands {
  constructor(private readonly o: ObservationCommandsOptions) {
    o.scheduler
      .register<{ travellerId: string; day: string; slot: CheckInSlot }>(ScheduledKind.checkInDue, (due) =>
        this.issue(due, { type: 'MarkCheckInMissed', data: { travellerId: due.payload.travellerId, day: due.payload.day, slot: due.payload.slot } }),
      )
      .register<{ travellerId: string }>(ScheduledKind.releaseDue, (due) =>
        this.issue(due, { type: 'ReleaseFromObservation', data: { travellerId: due.payload.travellerId } }),
      );
  }

  /**
   * Starts 14 days of observation. The checks of every check-in and the release are scheduled
   * first (idempotent by id): if the start is then not recorded, they find nobody to observe.
   */
  async start(ctx: RequestContext, travellerId: string): Promise<TravellerReceipt> {
    const now = this.o.clock();
    const { state } = await this.o.streams.load(travellerId);
    if (!state.observation && state.registered) await this.scheduleObservation(travellerId, now);
    return this.run(ctx, { type: 'StartHomeObservation', data: { travellerId }, metadata: { actor: ctx.actor, now: now.toISOString() } });
  }

  checkIn(ctx: RequestContext, travellerId: string, slot: CheckInSlot, temperatureC: number, symptomatic: boolean): Promise<TravellerReceipt> {
    const data = { travellerId, slot, temperatureC, symptomatic, feverThresholdC: this.o.feverThresholdC };
    return this.run(ctx, { type: 'RecordCheckIn', data, metadata: this.context(ctx) });
  }

  resolveFlag(ctx: RequestContext, travellerId: string, flagId: string): Promise<TravellerReceipt> {
    return this.run(ctx, { type: 'ResolveFlag', data: { travellerId, flagId }, metadata: this.context(ctx) });
  }

  refer(ctx: RequestContext, travellerId: string, referralId: string): Promise<TravellerReceipt> {
    return this.run(ctx, { type: 'ReferToFeverClinic', data: { travellerId, referralId }, metadata: this.context(ctx) });
  }

  recordOutcome(ctx: RequestContext, travellerId: string, referralId: string, outcome: ReferralOutcome): Promise<TravellerReceipt> {
    return this.run(ctx, { type: 'RecordReferralOutcome', data: { travellerId, referralId, outcome }, metadata: this.context(ctx) });
  }

  /** Staff may release on or after day 15 (the scheduler does it anyway); before, 409. */
  async release(ctx: RequestContext, travellerId: string): Promise<TravellerReceipt> {
    const receipt = await this.run(ctx, { type: 'ReleaseFromObservation', data: { travellerId }, metadata: this.context(ctx) });
    if (receipt.eventsAppended > 0) await this.scheduleErasure(travellerId, this.o.clock());
    return receipt;
  }

  transfer(ctx: RequestContext, travellerId: string, to: CommunityPlace): Promise<TravellerReceipt> {
    return this.run(ctx, { type: 'TransferObservation', data: { travellerId, to }, metadata: this.context(ctx) });
  }

  /** Erasure on request (the department): the data key is destroyed first, then the fact recorded. */
  async erase(ctx: RequestContext, travellerId: string): Promise<TravellerReceipt> {
    const command: TravellerCommand = { type: 'ErasePersonalData', data: { travellerId }, metadata: this.context(ctx) };
    // Decide first without appending anything, so a refused erasure destroys no key.
    const { state } = await this.o.streams.load(travellerId);
    travellerDecider.decide(command, state);
    await this.o.vault.erase(travellerId);
    return this.run(ctx, command);
  }

  private async run(ctx: RequestContext, command: TravellerCommand): Promise<TravellerReceipt> {
    const { events: _e, state: _s, ...receipt } = await this.o.streams.handle(ctx, command);
    return receipt;
  }

  private context(ctx: RequestContext) {
    return { actor: ctx.actor, now: this.o.clock().toISOString() };
  }

  private async issue(due: DueCommand, command: { type: TravellerCommand['type']; data: TravellerCommand['data'] }): Promise<void> {
    const ctx: RequestContext = { actor: SCHEDULER_ACTOR, correlationId: due.commandId };
    const full = { ...command, metadata: { actor: SCHEDULER_ACTOR, now: due.issuedAt.toISOString() } } as TravellerCommand;
    const result = await this.o.streams.handle(ctx, full, { eventId: (i) => eventIdOfCommand(due.commandId, i) });
    if (result.events.some((e: TravellerEvent) => e.type === 'HomeObservationReleased')) await this.scheduleErasure(command.data.travellerId, due.issuedAt);
  }

  private async scheduleObservation(travellerId: string, now: Date): Promise<void> {
    const firstDay = cityDayOf(now);
    for (let i = 0; i < OBSERVATION_DAYS; i++) {
      const day = addDays(firstDay, i);
      for (const slot of ['morning', 'evening'] as const) {
        const dueAt = checkInDeadline(day, slot);
        if (dueAt <= now) continue; // a window that closed before the observation began
        await this.o.scheduler.schedule({
          scheduleId: `check-in-${travellerId}-${firstDay}-${day}-${slot}`,
          kind: ScheduledKind.checkInDue,
          dueAt,
          payload: { travellerId, day, slot },
        });
      }
    }
    const releaseAt = new Date(cityDayBounds(addDays(firstDay, OBSERVATION_DAYS)).start + 5 * 60_000);
    await this.o.scheduler.schedule({
      scheduleId: `release-${travellerId}-${firstDay}`,
      kind: ScheduledKind.releaseDue,
      dueAt: releaseAt,
      payload: { travellerId },
    });
  }

  private async scheduleErasure(travellerId: string, releasedAt: Date): Promise<void> {
    const dueAt = new Date(releasedAt.getTime() + this.o.retentionDays * 24 * HOUR_MS);
    await this.o.scheduler.schedule({
      scheduleId: `erasure-${travellerId}-${releasedAt.toISOString()}`,
      kind: ScheduledKind.erasureDue,
      dueAt,
      payload: { travellerId },
    });
  }
}
