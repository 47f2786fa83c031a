import { isDistrictCode } from '@city/contracts';
import { DEPARTMENTS, ROLES, type Actor, type Department } from './access/actor';

export type { Actor, Department, Role } from './access/actor';
export { DEPARTMENTS, ROLES } from './access/actor';

export type ClaimsCheck = { readonly ok: true; readonly actor: Actor } | { readonly ok: false; readonly problem: string };

const SUBDISTRICT_CODE = /^\d{9}$/;
/** Residents' committee: the 9-digit subdistrict code and 3 digits. */
const COMMITTEE_CODE = /^\d{12}$/;
/** Unified social credit code (GB 32100-2015): the `sub` of an enterprise's token. */
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const OFFICE = /^[a-z][a-z0-9-]{0,39}$/;

/** Validates the shape of decoded token claims and returns only the Actor fields. */
export function actorFromClaims(claims: unknown): ClaimsCheck {
  if (typeof claims !== 'object' || claims === null) return fail('claims are not an object');
  const c = claims as Record<string, unknown>;
  if (typeof c.sub !== 'string' || c.sub.trim() === '') return fail('sub is missing');
  if (!isOneOf(c.role, ROLES)) return fail(`role must be one of ${ROLES.join(', ')}`);
  for (const key of ['district', 'subdistrict', 'committee', 'department', 'office', 'name'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'string') return fail(`${key} must be a string`);
  }
  const district = c.district as string | undefined;
  const subdistrict = c.subdistrict as string | undefined;
  const committee = c.committee as string | undefined;
  if (district !== undefined && !isDistrictCode(district)) return fail(`district ${district} is not a district code`);
  if ((c.role === 'district-staff' || c.role === 'field-official') && district === undefined) {
    return fail(`role ${c.role} requires a district`);
  }
  if (subdistrict !== undefined) {
    if (!SUBDISTRICT_CODE.test(subdistrict)) return fail('subdistrict must be a 9-digit code');
    if (district === undefined || !subdistrict.startsWith(district)) return fail('subdistrict must lie in the district');
  }
  if (committee !== undefined) {
    if (!COMMITTEE_CODE.test(committee)) return fail('committee must be a 12-digit committee code');
    if (subdistrict === undefined) return fail('committee requires a district and a subdistrict');
    if (!committee.startsWith(subdistrict)) return fail('committee must lie in the subdistrict');
  }
  if (c.department !== undefined && !isOneOf(c.department, DEPARTMENTS)) {
    return fail(`department must be one of ${DEPARTMENTS.join(', ')}`);
  }
  if (c.role === 'department' && c.department === undefined) return fail('role department requires a department');
  if (c.office !== undefined && !OFFICE.test(c.office as string)) return fail('office must be a lower-case office id');
  if (c.role === 'enterprise') {
    if (!CREDIT_CODE.test(c.sub)) return fail('role enterprise requires sub to be a unified social credit code');
    if (c.department !== undefined || district !== undefined) return fail('an enterprise token names no department and no district');
  }
  const actor: Actor = {
    sub: c.sub,
    role: c.role,
    ...(district !== undefined && { district }),
    ...(subdistrict !== undefined && { subdistrict }),
    ...(committee !== undefined && { committee }),
    ...(c.department !== undefined && { department: c.department as Department }),
    ...(typeof c.office === 'string' && { office: c.office }),
    ...(typeof c.name === 'string' && { name: c.name }),
  };
  return { ok: true, actor };
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function fail(problem: string): ClaimsCheck {
  return { ok: false, problem };
}
