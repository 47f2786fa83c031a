import { ForbiddenError } from '@city/eventsourcing';

/**
 * Why a request was refused: the `reason` label of `city_auth_refusals_total`
 * and the `reason` field of the 401/403 body. A closed set, so the metric's
 * label stays bounded.
 */
export type RefusalReason =
  | 'missing_token'
  | 'invalid_token'
  | 'expired_token'
  | 'invalid_claims'
  | 'wrong_role'
  | 'wrong_department'
  | 'other_district'
  | 'other_subdistrict';

/** A ForbiddenError (403) that names its reason; thrown by the guard and the scope checks. */
export class AccessDeniedError extends ForbiddenError {
  constructor(
    readonly reason: Exclude<RefusalReason, 'missing_token' | 'invalid_token' | 'expired_token' | 'invalid_claims'>,
    message: string,
  ) {
    super(message);
  }
}
