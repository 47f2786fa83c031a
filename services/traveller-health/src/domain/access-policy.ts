import { AccessPolicy } from '@city/auth/access';

/**
 * Who may do what in traveller-health, where, declared for the city's one access
 * mechanism (AccessPolicy of @city/auth):
 * - the traveller-health department acts everywhere (in its district if its token names one);
 * - district staff act within their district;
 * - the city center, district staff and field officials read their area's cases;
 * - other departments neither act nor read here.
 */
export const travellerHealthAccess = new AccessPolicy({
  department: 'traveller-health',
  actions: {
    /** Opening and closing cases. */
    manage: { verb: 'manage traveller-health cases in', grants: { 'district-staff': 'district', department: 'city' } },
    /** A case's details. */
    read: {
      verb: 'read traveller-health cases of',
      grants: { 'city-center': 'city', department: 'city', 'district-staff': 'district', 'field-official': 'district' },
    },
  },
});
