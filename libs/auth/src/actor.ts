import { isDistrictCode } from '@city/contracts';

/**
 * Who may do what (ARCHITECTURE.md decision 8: access follows the organisation).
 *
 * - `city-center`: the city operations center. Reads every district and may
 *   act city-wide.
 * - `district-staff`: a district's office; the token names its `district`.
 *   Reads and acts only in that district.
 * - `field-official`: a grassroots official; the token names `district` and
 *   usually `subdistrict`. Acts on the units assigned to them or in their own
 *   subdistrict; reads their district.
 * - `department`: a department's system or staff (`department` claim), city-wide
 *   unless the token also names a district. Issues only its own department's commands.
 *
 * Any token that carries a `department` claim issues only that department's
 * commands (`@RequireDepartment`); tokens without one are limited by district instead.
 */
export const ROLES = ['city-center', 'district-staff', 'field-official', 'department'] as const;
export type Role = (typeof ROLES)[number];

export const DEPARTMENTS = ['canvass', 'traveller-health', 'enterprise-reopening', 'policy-relief'] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** The verified claims of a bearer token. `sub` is an opaque staff id, never personal data. */
export interface Actor {
  readonly sub: string;
  readonly role: Role;
  /** District code (GB/T 2260, e.g. `310105`); required for district staff and field officials. */
  readonly district?: string;
  /** Subdistrict / town code within the district (9 digits, e.g. `310105001`). */
  readonly subdistrict?: string;
  /** Required for the `department` role; optional for others (the department they work for). */
  readonly department?: Department;
  /** Display name for dashboards and audit trails. */
  readonly name?: string;
}

export type ClaimsCheck = { readonly ok: true; readonly actor: Actor } | { readonly ok: false; readonly problem: string };

const SUBDISTRICT_CODE = /^\d{9}$/;

/** Validates the shape of decoded token claims and returns only the Actor fields. */
export function actorFromClaims(claims: unknown): ClaimsCheck {
  if (typeof claims !== 'object' || claims === null) return fail('claims are not an object');
  const c = claims as Record<string, unknown>;
  if (typeof c.sub !== 'string' || c.sub.trim() === '') return fail('sub is missing');
  if (!isOneOf(c.role, ROLES)) return fail(`role must be one of ${ROLES.join(', ')}`);
  for (const key of ['district', 'subdistrict', 'department', 'name'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'string') return fail(`${key} must be a string`);
  }
  const district = c.district as string | undefined;
  const subdistrict = c.subdistrict as string | undefined;
  if (district !== undefined && !isDistrictCode(district)) return fail(`district ${district} is not a district code`);
  if ((c.role === 'district-staff' || c.role === 'field-official') && district === undefined) {
    return fail(`role ${c.role} requires a district`);
  }
  if (subdistrict !== undefined) {
    if (!SUBDISTRICT_CODE.test(subdistrict)) return fail('subdistrict must be a 9-digit code');
    if (district === undefined || !subdistrict.startsWith(district)) return fail('subdistrict must lie in the district');
  }
  if (c.department !== undefined && !isOneOf(c.department, DEPARTMENTS)) {
    return fail(`department must be one of ${DEPARTMENTS.join(', ')}`);
  }
  if (c.role === 'department' && c.department === undefined) return fail('role department requires a department');
  const actor: Actor = {
    sub: c.sub,
    role: c.role,
    ...(district !== undefined && { district }),
    ...(subdistrict !== undefined && { subdistrict }),
    ...(c.department !== undefined && { department: c.department as Department }),
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
