import { AccessPolicy, type AccessScope } from '@city/auth/access';

/**
 * Who may do what in enterprise-reopening, where, declared for the city's one access
 * mechanism (AccessPolicy of @city/auth):
 * - the economy and informatization commission (the enterprise-reopening department) acts city-wide;
 * - an enterprise acts for itself only (its token's `sub` is its credit code);
 * - subdistrict inspectors (field officials) inspect in their district, as district staff do;
 * - the city center, district staff and field officials read their area's enterprises;
 * - other departments neither act nor read here.
 */
export const enterpriseReopeningAccess = new AccessPolicy({
  department: 'enterprise-reopening',
  actions: {
    /** Registering enterprises. */
    register: { verb: 'register enterprises in', grants: { 'district-staff': 'district', department: 'city' } },
    /** What an enterprise does for itself: declare, rectify, report, answer surveys, file and close appeals. */
    act: { verb: 'act for enterprises of', grants: { enterprise: 'responsible', department: 'city' } },
    /** Subdistrict inspections. */
    inspect: { verb: 'inspect enterprises in', grants: { 'field-official': 'district', 'district-staff': 'district', department: 'city' } },
    /** Recording the answer of the department an appeal is routed to. */
    answerAppeal: { verb: 'answer appeals of', grants: { 'district-staff': 'district', department: 'city' } },
    /** Issuing a new version of an industry guideline. */
    issueGuideline: { verb: 'issue guidelines for', grants: { department: 'city' } },
    /** An enterprise's record, its appeals, the inspection queue. */
    read: {
      verb: 'read enterprises of',
      grants: { 'city-center': 'city', department: 'city', 'district-staff': 'district', 'field-official': 'district', enterprise: 'responsible' },
    },
  },
});

/** Where an enterprise is, and who answers for it (the enterprise itself), as the access policy sees it. */
export function enterpriseScope(e: { readonly creditCode: string; readonly districtCode: string; readonly subdistrictCode: string }): AccessScope {
  return { district: e.districtCode, subdistrict: e.subdistrictCode, responsible: e.creditCode };
}
