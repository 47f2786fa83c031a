import { ForbiddenError } from '@city/eventsourcing';
import { AccessPolicy } from './access-policy';
import type { Actor, Department } from './actor';

/**
 * The rules every department shares (ARCHITECTURE.md decision 8), declared
 * with the same AccessPolicy a department uses for its own.
 *
 * Reading the city's figures: staff and officials read their district; the
 * city center and departments read the whole city, unless the token names a
 * district.
 */
export const cityReading = new AccessPolicy({
  actions: {
    read: { grants: { 'city-center': 'city', department: 'city', 'district-staff': 'district', 'field-official': 'district' } },
  },
});

/** True when the actor may read data of `districtCode`: a district-bound token reads only its own district. */
export function canReadDistrict(actor: Actor, districtCode: string): boolean {
  return cityReading.allows('read', actor, { district: districtCode });
}

export function assertCanReadDistrict(actor: Actor, districtCode: string): void {
  cityReading.assert('read', actor, { district: districtCode });
}

/** A city-wide answer (city overview, city series) needs a token that reads every district. */
export function assertCanReadCity(actor: Actor): void {
  cityReading.assert('read', actor);
}

/** Districts the actor may read: `'all'` or the one district of its token. Filters list queries. */
export function readableDistricts(actor: Actor): 'all' | readonly string[] {
  return cityReading.districts('read', actor);
}

/** True when the actor may issue commands of `department`: any token with a department claim only its own. */
export function canIssueForDepartment(actor: Actor, department: Department): boolean {
  if (actor.department !== undefined) return actor.department === department;
  return actor.role !== 'department';
}

export function assertCanIssueForDepartment(actor: Actor, department: Department): void {
  if (!canIssueForDepartment(actor, department)) {
    throw new ForbiddenError(`Token of department ${actor.department ?? '(none)'} may not issue ${department} commands`, 'wrong_department');
  }
}
