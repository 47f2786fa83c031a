/**
 * The events of the policy-relief context, published on Kafka topic `policy-relief.events.v1`.
 * Each type has a JSON Schema per version in contracts/topics/policy-relief.events.v1/schemas
 * (the contract tests check both say the same). Timestamps are ISO-8601 with
 * offset; district codes are GB/T 2260; ids are opaque strings; no personal data.
 */

export const POLICY_RELIEF_TOPIC = 'policy-relief.events.v1';
/** Every policy-relief stream id starts with this prefix. */
export const POLICY_RELIEF_STREAM_PREFIX = 'policy-relief.';

/** Stream ids of the policy-relief aggregates (also the Kafka key). */
export const policyReliefStreams = {
  case: (caseId: string): string => `${POLICY_RELIEF_STREAM_PREFIX}case-${caseId}`,
} as const;

export interface PolicyReliefCaseOpened {
  readonly type: 'PolicyReliefCaseOpened';
  readonly data: {
    readonly caseId: string;
    readonly districtCode: string;
    readonly subdistrictCode: string;
    readonly subject: string;
    readonly openedBy: string;
    readonly openedAt: string;
  };
}

export interface PolicyReliefCaseClosed {
  readonly type: 'PolicyReliefCaseClosed';
  readonly data: {
    readonly caseId: string;
    readonly districtCode: string;
    readonly subdistrictCode: string;
    readonly closedBy: string;
    readonly closedAt: string;
  };
}

export type PolicyReliefEvent = PolicyReliefCaseOpened | PolicyReliefCaseClosed;
export type PolicyReliefEventType = PolicyReliefEvent['type'];

export const POLICY_RELIEF_EVENT_TYPES = ['PolicyReliefCaseOpened', 'PolicyReliefCaseClosed'] as const satisfies readonly PolicyReliefEventType[];
