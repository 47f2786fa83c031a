/**
 * @city/auth/access: the access model without any framework, for domain code.
 * One actor type, one policy mechanism (`AccessPolicy`) that each department
 * declares its rules with, and the refusal error (`ForbiddenError` of
 * @city/eventsourcing, with its reason).
 */
export { ROLES, DEPARTMENTS } from './actor';
export type { Actor, Role, Department } from './actor';
export { AccessPolicy } from './access-policy';
export type { AccessDecision, AccessRules, AccessScope, ActionRule, Grants, Reach, Relation } from './access-policy';
export {
  cityReading,
  canReadDistrict,
  assertCanReadDistrict,
  assertCanReadCity,
  readableDistricts,
  canIssueForDepartment,
  assertCanIssueForDepartment,
} from './organisation';
export { ForbiddenError } from '@city/eventsourcing';
export type { AccessRefusalReason } from '@city/eventsourcing';
