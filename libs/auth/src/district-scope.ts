import type { Actor, Department } from './actor';
import { AccessDeniedError } from './refusal';

/**
 * Pure access rules by organisation (ARCHITECTURE.md decision 8). Services call
 * them with the district (and, for units, subdistrict and assignee) of the data
 * a request touches; the `assert*` forms throw AccessDeniedError (a ForbiddenError, 403).
 */

/** True when the actor may read data of `districtCode`: a district-bound token reads only its own district. */
export function canReadDistrict(actor: Actor, districtCode: string): boolean {
  if (actor.district !== undefined) return actor.district === districtCode;
  return actor.role === 'city-center' || actor.role === 'department';
}

export function assertCanReadDistrict(actor: Actor, districtCode: string): void {
  if (!canReadDistrict(actor, districtCode)) {
    throw new AccessDeniedError('other_district', `Token for ${describeScope(actor)} may not read district ${districtCode}`);
  }
}

/** Districts the actor may read: `'all'` or the one district of its token. Useful to filter list queries. */
export function readableDistricts(actor: Actor): 'all' | readonly string[] {
  if (actor.district !== undefined) return [actor.district];
  return actor.role === 'city-center' || actor.role === 'department' ? 'all' : [];
}

/** Where a command acts. A bare string is a district code. */
export interface ActionScope {
  readonly district: string;
  /** Subdistrict of the unit or area acted on, if the command concerns one. */
  readonly subdistrict?: string;
  /** `sub` of the official the unit is assigned to, if any. */
  readonly assignedTo?: string;
}

/**
 * True when the actor may act (issue a command) on data in `scope`:
 * - city-center: anywhere;
 * - department: anywhere, or only in its district if the token names one;
 * - district-staff: in its district;
 * - field-official: in its district, and only on units assigned to it
 *   (`assignedTo` = its `sub`) or in the subdistrict its token names. A bare
 *   district code is therefore refused for field officials: the service must
 *   say what the command touches.
 */
export function canActIn(actor: Actor, scope: string | ActionScope): boolean {
  return actRefusal(actor, typeof scope === 'string' ? { district: scope } : scope) === undefined;
}

export function assertCanActInDistrict(actor: Actor, scope: string | ActionScope): void {
  const target = typeof scope === 'string' ? { district: scope } : scope;
  const reason = actRefusal(actor, target);
  if (reason === 'other_district') {
    throw new AccessDeniedError(reason, `Token for ${describeScope(actor)} may not act in district ${target.district}`);
  }
  if (reason === 'other_subdistrict') {
    throw new AccessDeniedError(
      reason,
      `Field official may act only on own units or in subdistrict ${actor.subdistrict ?? '(none)'}` +
        (target.subdistrict ? `, not in ${target.subdistrict}` : ''),
    );
  }
}

/** True when the actor may issue commands of `department`: any token with a department claim only its own. */
export function canIssueForDepartment(actor: Actor, department: Department): boolean {
  if (actor.department !== undefined) return actor.department === department;
  return actor.role !== 'department';
}

export function assertCanIssueForDepartment(actor: Actor, department: Department): void {
  if (!canIssueForDepartment(actor, department)) {
    throw new AccessDeniedError(
      'wrong_department',
      `Token of department ${actor.department ?? '(none)'} may not issue ${department} commands`,
    );
  }
}

function actRefusal(actor: Actor, scope: ActionScope): 'other_district' | 'other_subdistrict' | undefined {
  if (actor.role === 'city-center') return undefined;
  if (actor.district !== undefined && actor.district !== scope.district) return 'other_district';
  if (actor.district === undefined && actor.role !== 'department') return 'other_district';
  if (actor.role !== 'field-official') return undefined;
  if (scope.assignedTo !== undefined && scope.assignedTo === actor.sub) return undefined;
  if (actor.subdistrict !== undefined && scope.subdistrict === actor.subdistrict) return undefined;
  return 'other_subdistrict';
}

function describeScope(actor: Actor): string {
  return actor.district !== undefined ? `district ${actor.district}` : actor.role;
}
