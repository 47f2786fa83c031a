/**
 * Names of the business rules the traveller-health deciders enforce. They reach the
 * caller in the 409 body (`rule`), so they are part of the HTTP API.
 */
export const Rule = {
  checkpointAlreadyRegistered: 'checkpoint-already-registered',
  registrationIdTaken: 'registration-id-taken',
  notUnderObservation: 'not-under-observation',
  alreadyUnderObservation: 'already-under-observation',
  checkInOutsideObservation: 'check-in-outside-observation',
  releaseBeforeDay15: 'release-before-day-15',
  referralOpen: 'referral-open',
  unknownReferral: 'unknown-referral',
  unknownFlag: 'unknown-flag',
  erasureDuringObservation: 'erasure-during-observation',
  personalDataErased: 'personal-data-erased',
} as const;

export type RuleName = (typeof Rule)[keyof typeof Rule];
