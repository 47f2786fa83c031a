import { ForbiddenError } from '@city/eventsourcing';
import type { UnitLocation } from '@city/contracts';
import { CANVASS_DEPARTMENT, type Actor } from './actor';

/**
 * Who may act where ("access follows the organisation"), as pure functions the
 * deciders call with the actor of the command:
 * - the canvass department acts everywhere;
 * - district staff act within their district;
 * - field officials act on the units they answer for, or, standing in, on the
 *   units of their own subdistrict (the event records that they stood in);
 * - the city center reads everything and issues no canvass command.
 */

/** Why an actor was refused; the same closed set as @city/auth's refusal reasons (metric label). */
export type AccessRefusalReason = 'wrong_role' | 'wrong_department' | 'other_district' | 'other_subdistrict';

/** A 403 that says why, so the service can count refusals by reason. */
export class AccessRefusedError extends ForbiddenError {
  constructor(
    readonly reason: AccessRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** The part of a unit (or gate shift) that decides who may touch it. */
export interface AccessScope extends UnitLocation {
  /** The official who answers for it; null when nobody does yet. */
  readonly officialId: string | null;
}

/** How a permitted actor relates to a unit it acts on. */
export type FieldRelation = 'responsible' | 'standing-in';

export function isCanvassDepartment(actor: Actor): boolean {
  return actor.role === 'department' && actor.department === CANVASS_DEPARTMENT;
}

/** A department token that names a district acts only there. */
function departmentReaches(actor: Actor, districtCode: string): boolean {
  return actor.district === undefined || actor.district === districtCode;
}

/**
 * Reference data, registration, assignment and retirement: district staff of
 * that district, or the canvass department.
 */
export function assertCanManageDistrict(actor: Actor, districtCode: string): void {
  if (actor.role === 'department') {
    if (!isCanvassDepartment(actor)) throw new AccessRefusedError('wrong_department', `Department ${actor.department ?? '(none)'} may not issue canvass commands`);
    if (departmentReaches(actor, districtCode)) return;
    throw new AccessRefusedError('other_district', `Token for district ${actor.district} may not act in district ${districtCode}`);
  }
  if (actor.role === 'district-staff') {
    if (actor.district === districtCode) return;
    throw new AccessRefusedError('other_district', `District staff of ${actor.district ?? 'no district'} may not act in district ${districtCode}`);
  }
  throw new AccessRefusedError('wrong_role', `Role ${actor.role} may not manage canvass units or reference data`);
}

/**
 * Field work on a unit (visits, doorstep services, gate duty): returns whether
 * the actor is the responsible official or stands in; throws ForbiddenError otherwise.
 */
export function fieldRelationTo(actor: Actor, scope: AccessScope): FieldRelation {
  if (actor.role === 'field-official') {
    if (scope.officialId === actor.sub) return 'responsible';
    if (actor.district === scope.districtCode && actor.subdistrict === scope.subdistrictCode) return 'standing-in';
    throw new AccessRefusedError(
      actor.district === scope.districtCode ? 'other_subdistrict' : 'other_district',
      `Field official ${actor.sub} neither answers for this unit nor works in its subdistrict`,
    );
  }
  assertCanManageDistrict(actor, scope.districtCode);
  return scope.officialId === actor.sub ? 'responsible' : 'standing-in';
}

/** Field work that only the responsible official (or district staff / the department) may do. */
export function assertResponsibleOrManager(actor: Actor, scope: AccessScope): void {
  if (actor.role === 'field-official') {
    if (scope.officialId === actor.sub) return;
    throw new AccessRefusedError('other_subdistrict', `Field official ${actor.sub} does not answer for this unit`);
  }
  assertCanManageDistrict(actor, scope.districtCode);
}

/** Reading a unit's details and history. */
export function canRead(actor: Actor, scope: AccessScope): boolean {
  switch (actor.role) {
    case 'city-center':
      return true;
    case 'department':
      return isCanvassDepartment(actor) && departmentReaches(actor, scope.districtCode);
    case 'district-staff':
      return actor.district === scope.districtCode;
    case 'field-official':
      return scope.officialId === actor.sub || (actor.district === scope.districtCode && actor.subdistrict === scope.subdistrictCode);
    default:
      return false;
  }
}

export function assertCanRead(actor: Actor, scope: AccessScope): void {
  if (canRead(actor, scope)) return;
  const reason: AccessRefusalReason =
    actor.role === 'department' && !isCanvassDepartment(actor)
      ? 'wrong_department'
      : actor.district !== undefined && actor.district !== scope.districtCode
        ? 'other_district'
        : 'other_subdistrict';
  throw new AccessRefusedError(reason, `Token of ${actor.sub} (${actor.role}) may not read this unit`);
}
