import { AccessPolicy, type AccessScope } from '@city/auth/access';
import type { UnitLocation } from '@city/contracts';

/**
 * Who may do what in canvass, where ("access follows the organisation"),
 * declared for the city's one access mechanism (AccessPolicy of @city/auth):
 * - the canvass department acts everywhere (in its district if its token names one);
 * - district staff act within their district;
 * - field officials act on the units they answer for, or, standing in, on the
 *   units of their own subdistrict (the event records that they stood in);
 *   they change a unit's size only where they answer for it;
 * - the city center reads everything and issues no canvass command;
 * - other departments neither act nor read here.
 */
export const canvassAccess = new AccessPolicy({
  department: 'canvass',
  actions: {
    /** Reference data, registration, assignment and retirement. */
    manage: { verb: 'manage canvass units in', grants: { 'district-staff': 'district', department: 'city' } },
    /** Visits, doorstep services, gate duty. */
    fieldWork: { verb: 'do field work in', grants: { 'field-official': 'subdistrict', 'district-staff': 'district', department: 'city' } },
    /** Keeping a unit's size up to date. */
    editUnit: { verb: 'edit units of', grants: { 'field-official': 'responsible', 'district-staff': 'district', department: 'city' } },
    /** A unit's details and history. */
    readUnit: { verb: 'read units of', grants: { 'city-center': 'city', department: 'city', 'district-staff': 'district', 'field-official': 'subdistrict' } },
    /** Lists of units. */
    listUnits: { verb: 'list units of', grants: { 'city-center': 'city', department: 'city', 'district-staff': 'district', 'field-official': 'district' } },
  },
});

/** The part of a unit (or gate shift) that decides who may touch it. */
export interface PlaceOfWork extends UnitLocation {
  /** The official who answers for it; null when nobody does yet. */
  readonly officialId: string | null;
}

/** A unit or gate shift as the access policy sees it. */
export function accessScopeOf(place: PlaceOfWork): AccessScope {
  return { district: place.districtCode, subdistrict: place.subdistrictCode, responsible: place.officialId };
}
