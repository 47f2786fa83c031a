import { AccessPolicy, type AccessScope } from '@city/auth/access';

/**
 * Who may do what in enterprise-reopening, where, declared for the city's one access
 * mechanism (AccessPolicy of @city/auth):
 * - the economy and informatization commission (the enterprise-reopening department) acts city-wide;
 * - district staff act within their district;
 * - the city center, district staff and field officials read their area's enterprises;
 * - other departments neither act nor read here.
 */
export const enterpriseReopeningAccess = new AccessPolicy({
  department: 'enterprise-reopening',
  actions: {
    /** Registering enterprises. */
    register: { verb: 'register enterprises in', grants: { 'district-staff': 'district', department: 'city' } },
    /** An enterprise's record. */
    read: {
      verb: 'read enterprises of',
      grants: { 'city-center': 'city', department: 'city', 'district-staff': 'district', 'field-official': 'district' },
    },
  },
});

/** Where an enterprise is, as the access policy sees it. */
export function enterpriseScope(e: { readonly districtCode: string; readonly subdistrictCode: string }): AccessScope {
  return { district: e.districtCode, subdistrict: e.subdistrictCode };
}
