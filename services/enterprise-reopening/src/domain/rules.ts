/**
 * Names of the business rules the enterprise-reopening deciders enforce. They reach the
 * caller in the 409 body (`rule`), so they are part of the HTTP API.
 */
export const Rule = {
  invalidCreditCode: 'invalid-credit-code',
  enterpriseAlreadyRegistered: 'enterprise-already-registered',
  unknownIndustry: 'unknown-industry',
  unknownDistrict: 'unknown-district',
  subdistrictOutsideDistrict: 'subdistrict-outside-district',
  noHeadcount: 'usual-headcount-required',
  declarationPending: 'declaration-pending',
  measureNotInGuideline: 'measure-not-in-guideline',
  checklistIncomplete: 'checklist-incomplete',
  dayInThePast: 'day-in-the-past',
  workforcePlanTooLarge: 'workforce-plan-exceeds-headcount',
  declarationAlreadyDecided: 'declaration-already-decided',
  rectificationItemsOnPass: 'no-rectification-items-on-pass',
  rectificationItemsRequired: 'rectification-items-required',
  rectificationDueDateRequired: 'rectification-due-date-required',
  noRectificationRequired: 'no-rectification-required',
  rectificationIncomplete: 'rectification-incomplete',
  enterpriseSuspended: 'enterprise-suspended',
  notClearedToReopen: 'not-cleared-to-reopen',
  notReopened: 'enterprise-not-reopened',
  reportForFutureDay: 'report-for-future-day',
  reportBeforeReopening: 'report-before-reopening',
  guidelineUnchanged: 'guideline-unchanged',
  appealNotAnswered: 'appeal-not-answered',
  appealClosed: 'appeal-closed',
  appealAlreadyAnswered: 'appeal-already-answered',
  appealStillOpen: 'appeal-still-open',
  unknownDepartment: 'unknown-department',
  appealIdTaken: 'appeal-id-taken',
  duplicateMeasure: 'duplicate-measure',
} as const;

export type RuleName = (typeof Rule)[keyof typeof Rule];
