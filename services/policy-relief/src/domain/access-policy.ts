import { AccessPolicy } from '@city/auth/access';
import { ForbiddenError } from '@city/eventsourcing';
import type { ReliefMeasure } from '@city/contracts';
import type { Actor } from './command-context';

/**
 * Who may do what in policy-relief, declared for the city's one access
 * mechanism (AccessPolicy of @city/auth):
 * - an enterprise applies and withdraws for itself only (its token's `sub` is
 *   its credit code: the `responsible` reach);
 * - policy-relief's issuing offices (department tokens with an `office`) decide
 *   and record disbursements, each for the measures it issues (`assertIssuerOf`);
 * - reading: the enterprise its own applications, an issuing office those of its
 *   measures, the finance office, the city center and tokens of the department
 *   without an office everything, district staff their district.
 */
export const policyReliefAccess = new AccessPolicy({
  department: 'policy-relief',
  actions: {
    apply: { verb: 'apply for relief for an enterprise in', grants: { enterprise: 'responsible' } },
    decide: { verb: 'decide relief applications in', grants: { department: 'city' } },
    read: {
      verb: 'read relief applications of',
      grants: { enterprise: 'responsible', department: 'city', 'city-center': 'city', 'district-staff': 'district' },
    },
  },
});

/** The office that reads every measure's applications and figures (市财政局). */
export const CITY_FINANCE_OFFICE = 'finance';

/** An issuing office decides only on the measures it issues. */
export function assertIssuerOf(actor: Actor, measure: Pick<ReliefMeasure, 'measureId' | 'issuer'>): void {
  if (actor.office !== measure.issuer) {
    throw new ForbiddenError(
      `Office ${actor.office ?? '(none)'} may not decide on measure ${measure.measureId}, which the ${measure.issuer} office issues`,
      'wrong_department',
    );
  }
}

/** Reading an application: everyone the policy lets read, but an issuing office other than finance only its own measures. */
export function assertCanRead(actor: Actor, application: { districtCode: string; enterpriseId: string; issuer: string }): void {
  policyReliefAccess.assert('read', actor, { district: application.districtCode, responsible: application.enterpriseId });
  if (actor.role === 'department' && actor.office !== undefined && actor.office !== CITY_FINANCE_OFFICE && actor.office !== application.issuer) {
    throw new ForbiddenError(`Office ${actor.office} may read only applications to the measures it issues`, 'wrong_department');
  }
}
