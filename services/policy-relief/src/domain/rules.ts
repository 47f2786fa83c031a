/**
 * Names of the business rules the policy-relief deciders enforce. They reach the
 * caller in the 409 body (`rule`), so they are part of the HTTP API.
 */
export const Rule = {
  alreadyApplied: 'already-applied',
  measureNotOpen: 'measure-not-open',
  measureClosed: 'measure-closed',
  enterpriseUnknown: 'enterprise-not-known-yet',
  amountAboveLimit: 'amount-above-limit',
  alreadyDecided: 'application-already-decided',
  applicationWithdrawn: 'application-withdrawn',
  notEligible: 'application-not-eligible',
  grantAboveRequest: 'grant-above-request',
  notApproved: 'application-not-approved',
  disbursementAboveGrant: 'disbursement-above-grant',
  referenceReused: 'disbursement-reference-reused',
  dayInTheFuture: 'day-in-the-future',
  /** The measure's budget cannot cover the approval: every refusal for money names this rule. */
  budgetExceeded: 'budget-exceeded',
  budgetAlreadyCommitted: 'budget-already-committed',
} as const;

export type RuleName = (typeof Rule)[keyof typeof Rule];
