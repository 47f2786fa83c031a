import { IDEMPOTENCY_KEY_REUSED } from '@city/eventsourcing';

/**
 * Names of the business rules the canvass deciders enforce. They reach the
 * caller in the 409 body (`rule`), so they are part of the HTTP API: rename
 * none without telling the field app and the operations center.
 */
export const Rule = {
  unknownDistrict: 'unknown-district',
  subdistrictAlreadyRegistered: 'subdistrict-already-registered',
  subdistrictNameTaken: 'subdistrict-name-taken',
  unknownSubdistrict: 'unknown-subdistrict',
  unitAlreadyRegistered: 'unit-already-registered',
  unitRetired: 'unit-retired',
  noResponsibleOfficial: 'unit-has-no-responsible-official',
  timeInTheFuture: 'time-in-the-future',
  gateDutyNeedsCompound: 'gate-duty-needs-a-compound',
  shiftAlreadyStarted: 'shift-already-started',
  shiftEndsBeforeStart: 'shift-ends-before-start',
  shiftAlreadyEnded: 'shift-already-ended',
  shiftsOverlap: 'shift-overlaps-another-shift',
  registeredExceedsChecked: 'registered-exceeds-checked',
  /** A client-generated id (visit, doorstep service) resent with a different body: the platform's rule (@city/eventsourcing). */
  idempotencyKeyReused: IDEMPOTENCY_KEY_REUSED,
} as const;

export type RuleName = (typeof Rule)[keyof typeof Rule];
