/**
 * Who may do what (ARCHITECTURE.md decision 8: access follows the organisation).
 *
 * - `city-center`: the city operations center. Reads every district; issues a
 *   department's commands only where that department's access policy says so.
 * - `district-staff`: a district's office; the token names its `district`.
 *   Reads and acts only in that district.
 * - `field-official`: a grassroots official; the token names `district` and
 *   usually `subdistrict`, sometimes a residents' `committee` too. Acts on the
 *   units assigned to them or in their own subdistrict (or committee, where a
 *   department's policy reaches that far down); reads their district.
 * - `department`: a department's system or staff (`department` claim), city-wide
 *   unless the token also names a district. Issues only its own department's commands.
 * - `enterprise`: an enterprise acting for itself; `sub` is its unified social
 *   credit code, so a policy's `responsible` reach lets it act on its own records only.
 *
 * What each role may do in a department is that department's access policy
 * (`AccessPolicy`), declared in its domain.
 */
export const ROLES = ['city-center', 'district-staff', 'field-official', 'department', 'enterprise'] as const;
export type Role = (typeof ROLES)[number];

export const DEPARTMENTS = ['canvass', 'traveller-health', 'enterprise-reopening', 'policy-relief'] as const;
export type Department = (typeof DEPARTMENTS)[number];

/**
 * The verified claims of a bearer token: the one actor type of the city, used by
 * the HTTP layer and passed unchanged into commands and deciders. `sub` is an
 * opaque staff id, never personal data.
 */
export interface Actor {
  readonly sub: string;
  readonly role: Role;
  /** District code (GB/T 2260, e.g. `310105`); required for district staff and field officials. */
  readonly district?: string;
  /** Subdistrict / town code within the district (9 digits, e.g. `310105001`). */
  readonly subdistrict?: string;
  /**
   * Residents' (or village) committee within the subdistrict (12 digits, e.g. `310105002003`):
   * a grassroots worker of one committee. Only a policy's `committee` reach reads it.
   */
  readonly committee?: string;
  /** Required for the `department` role; optional for others (the department they work for). */
  readonly department?: Department;
  /**
   * The office within the department the token acts for, e.g. `finance` among
   * policy-relief's issuing offices, each of which decides on its own measures.
   */
  readonly office?: string;
  /** Display name for dashboards and audit trails. */
  readonly name?: string;
}
