/**
 * Names of the business rules the traveller-health deciders enforce. They reach the
 * caller in the 409 body (`rule`), so they are part of the HTTP API.
 */
export const Rule = {
  caseAlreadyOpened: 'case-already-opened',
  subdistrictOutsideDistrict: 'subdistrict-outside-district',
} as const;

export type RuleName = (typeof Rule)[keyof typeof Rule];
