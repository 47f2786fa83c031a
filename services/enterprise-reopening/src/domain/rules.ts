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
} as const;

export type RuleName = (typeof Rule)[keyof typeof Rule];
