/**
 * One realistic, typed event of every policy-relief type: a small café on
 * Jiangsu Road (Changning) that rents from a state-owned landlord applies for
 * two months of rent waived (measure M01), is approved in part and paid. The
 * object literals are checked by tsc against the TypeScript contract; a
 * contract test checks them against the JSON Schemas.
 */
import type { PolicyReliefEvent, PolicyReliefEventType } from './events';

export type PolicyReliefEventOf<T extends PolicyReliefEventType> = Extract<PolicyReliefEvent, { readonly type: T }>;

const application = {
  applicationId: 'M01-91310105MA1FL0XQ2P',
  measureId: 'M01',
  area: 'lighter-burden',
  issuer: 'state-assets',
  enterpriseId: '91310105MA1FL0XQ2P',
  districtCode: '310105',
  subdistrictCode: '310105002',
} as const;
const submittedAt = '2020-02-12T09:30:00+08:00';

export const POLICY_RELIEF_EVENT_SAMPLES: { readonly [T in PolicyReliefEventType]: PolicyReliefEventOf<T> } = {
  ReliefApplicationSubmitted: {
    type: 'ReliefApplicationSubmitted',
    data: {
      ...application,
      benefitKind: 'rent-waiver',
      facts: { size: 'small', industry: 'catering', landlordKind: 'state-owned', reopeningStatus: 'reopened', headcount: 18 },
      requestedFen: 9_600_000,
      monthlyRentFen: 4_800_000,
      maxGrantFen: 9_600_000,
      eligibility: {
        eligible: true,
        measureVersion: 1,
        checks: [
          { rule: 'S1', field: 'size', value: 'small', passed: true, reason: 'size: small — passes rule S1 of measure M01 v1' },
          { rule: 'L1', field: 'landlordKind', value: 'state-owned', passed: true, reason: 'landlord: state-owned — passes rule L1 of measure M01 v1' },
        ],
      },
      submittedBy: '91310105MA1FL0XQ2P',
      submittedAt,
    },
  },
  ReliefApplicationWithdrawn: {
    type: 'ReliefApplicationWithdrawn',
    data: { ...application, reason: 'The landlord waived the rent directly', withdrawnBy: '91310105MA1FL0XQ2P', withdrawnAt: '2020-02-13T10:00:00+08:00' },
  },
  ReliefApplicationApproved: {
    type: 'ReliefApplicationApproved',
    data: {
      ...application,
      requestedFen: 9_600_000,
      grantedFen: 7_200_000,
      partial: true,
      note: 'One and a half months: the shop reopened on 20 February',
      approvedBy: 'sasac-officer-0007',
      approvedAt: '2020-02-14T15:20:00+08:00',
      submittedAt,
    },
  },
  ReliefApplicationRejected: {
    type: 'ReliefApplicationRejected',
    data: { ...application, reason: 'The lease names another tenant', rejectedBy: 'sasac-officer-0007', rejectedAt: '2020-02-14T15:25:00+08:00' },
  },
  ReliefDisbursed: {
    type: 'ReliefDisbursed',
    data: {
      ...application,
      amountFen: 7_200_000,
      disbursedOn: '2020-02-20',
      reference: 'RENT-WAIVER-2020-000731',
      totalDisbursedFen: 7_200_000,
      grantedFen: 7_200_000,
      recordedBy: 'sasac-officer-0007',
      recordedAt: '2020-02-20T11:00:00+08:00',
      submittedAt,
    },
  },
  ReliefBudgetCommitted: {
    type: 'ReliefBudgetCommitted',
    data: {
      measureId: 'M01',
      applicationId: application.applicationId,
      amountFen: 7_200_000,
      committedFen: 1_250_400_000,
      budgetFen: 80_000_000_000,
      committedAt: '2020-02-14T15:20:00+08:00',
    },
  },
  ReliefBudgetReleased: {
    type: 'ReliefBudgetReleased',
    data: {
      measureId: 'M01',
      applicationId: application.applicationId,
      amountFen: 7_200_000,
      committedFen: 1_243_200_000,
      budgetFen: 80_000_000_000,
      reason: 'The application was withdrawn while its approval was being recorded',
      releasedAt: '2020-02-14T15:20:01+08:00',
    },
  },
};
