/**
 * @city/auth: bearer-token (JWT) authentication and organisation-based access
 * (ARCHITECTURE.md decision 8). See `access/actor.ts` for what each role may do;
 * domain code imports the framework-free part from `@city/auth/access`.
 */
export { ROLES, DEPARTMENTS, actorFromClaims } from './actor';
export type { Actor, Role, Department, ClaimsCheck } from './actor';
export { AuthModule } from './auth.module';
export { ASYMMETRIC_ALGORITHMS, AUTH_OPTIONS, MIN_SECRET_LENGTH, resolveAuthOptions } from './auth-options';
export type { AsymmetricAlgorithm, AuthModuleOptions, ResolvedAuthOptions } from './auth-options';
export { TokenVerifier } from './verification/token-verifier';
export { DEFAULT_CLOCK_SKEW_SECONDS, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, lifetimeProblem } from './verification/token-lifetime';
export type { LifetimePolicy } from './verification/token-lifetime';
export { checkTrustedIssuers, issuerScopeProblem, parseTrustedIssuers } from './verification/trusted-issuers';
export type { IssuersCheck, TrustedIssuer } from './verification/trusted-issuers';
export { JwtAuthGuard } from './guard/jwt-auth.guard';
export { actorOf } from './guard/request-actor';
export { bearerTokenOf } from './guard/bearer-token';
export { Public, PUBLIC_ROUTE } from '@city/observability';
export { Roles, ROLES_KEY } from './decorators/roles.decorator';
export { RequireDepartment, DEPARTMENT_KEY } from './decorators/require-department.decorator';
export { CurrentActor } from './decorators/current-actor.decorator';
export {
  AccessPolicy,
  cityReading,
  canReadDistrict,
  assertCanReadDistrict,
  assertCanReadCity,
  readableDistricts,
  canIssueForDepartment,
  assertCanIssueForDepartment,
} from './access';
export type { AccessDecision, AccessRules, AccessScope, ActionRule, Grants, Reach, Relation } from './access';
export type { RefusalReason } from './refusal';
export { issueToken } from './tokens/issue-token';
export type { IssueTokenOptions } from './tokens/issue-token';
export { devTokens, DEV_ACTORS } from './tokens/dev-tokens';
export type { DevTokens } from './tokens/dev-tokens';
