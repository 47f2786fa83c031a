import { AccessPolicy, type AccessScope, type Actor } from '@city/auth/access';
import type { UnitLocation } from '@city/contracts';
import { NotFoundError } from '@city/eventsourcing';

/**
 * Who may do what in canvass, where ("access follows the organisation"),
 * declared for the city's one access mechanism (AccessPolicy of @city/auth).
 * The rules (services/canvass/README.md, "Access model", lists them with their tests):
 *
 * 1. The canvass department acts everywhere (in its district if its token names one).
 * 2. District staff act within their district.
 * 3. Field officials act on the units they answer for, or, standing in, on the
 *    units of their own subdistrict (the event records that they stood in);
 *    they change a unit's size only where they answer for it.
 * 4. The city center reads everything and issues no canvass command; other
 *    departments neither act nor read here.
 * 5. What an actor may not open does not exist for it: a unit (or gate shift)
 *    outside its `readUnit` reach is answered exactly as an unknown one (404
 *    "Unknown unit <id>"), by queries and commands alike, so ids cannot be
 *    probed across districts (or, for field officials, across subdistricts).
 *    Refusals that do not depend on the unit (role, department) stay 403.
 * 6. A unit listing shows only what the actor may open: a field official lists
 *    the units of their own subdistrict and those they answer for, within the
 *    area asked for (its district: another district is 403 other_district).
 * 7. Gate duty is personal: a field official starts and ends only their own
 *    shifts; district staff and the department record them for any official.
 * 8. Unit ids are global: registering a taken id is 409 unit-already-registered
 *    whoever holds it, naming no district (the registrant learns only that the id is taken).
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

/**
 * Rule 5: answers as for an unknown unit when the actor may not open `place`.
 * Call it before any other check that depends on the unit.
 */
export function requireOpenable(actor: Actor, place: PlaceOfWork, unknown: string): void {
  const decision = canvassAccess.decide('readUnit', actor, accessScopeOf(place));
  if (!decision.allowed) throw new NotFoundError(unknown, decision.reason);
}

/** Rule 6: which units of a listed area the actor may see; `all` or those of a subdistrict and those it answers for. */
export type UnitListingScope = 'all' | { readonly officialId: string; readonly subdistrictCode?: string };

export function unitListingScopeOf(actor: Actor): UnitListingScope {
  if (canvassAccess.rules.actions.readUnit.grants[actor.role] !== 'subdistrict') return 'all';
  return { officialId: actor.sub, ...(actor.subdistrict === undefined ? {} : { subdistrictCode: actor.subdistrict }) };
}
