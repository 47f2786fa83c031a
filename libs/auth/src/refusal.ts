import type { AccessRefusalReason } from '@city/eventsourcing';

/**
 * Why a request was refused: the `reason` label of `city_auth_refusals_total`
 * and the `reason` field of the 401/403 body. A closed set, so the metric's
 * label stays bounded: the 401s of the guard and the 403s of ForbiddenError.
 */
export type RefusalReason = 'missing_token' | 'invalid_token' | 'expired_token' | 'invalid_claims' | AccessRefusalReason;
