/**
 * The events of the enterprise-reopening context, published on Kafka topic `enterprise-reopening.events.v1`.
 * Each type has a JSON Schema per version in contracts/topics/enterprise-reopening.events.v1/schemas
 * (the contract tests check both say the same). Timestamps are ISO-8601 with
 * offset; district codes are GB/T 2260; ids are opaque strings; no personal data.
 */

export const ENTERPRISE_REOPENING_TOPIC = 'enterprise-reopening.events.v1';
/** Every enterprise-reopening stream id starts with this prefix. */
export const ENTERPRISE_REOPENING_STREAM_PREFIX = 'enterprise-reopening.';

/** Stream ids of the enterprise-reopening aggregates (also the Kafka key). */
export const enterpriseReopeningStreams = {
  case: (caseId: string): string => `${ENTERPRISE_REOPENING_STREAM_PREFIX}case-${caseId}`,
} as const;

export interface EnterpriseReopeningCaseOpened {
  readonly type: 'EnterpriseReopeningCaseOpened';
  readonly data: {
    readonly caseId: string;
    readonly districtCode: string;
    readonly subdistrictCode: string;
    readonly subject: string;
    readonly openedBy: string;
    readonly openedAt: string;
  };
}

export interface EnterpriseReopeningCaseClosed {
  readonly type: 'EnterpriseReopeningCaseClosed';
  readonly data: {
    readonly caseId: string;
    readonly districtCode: string;
    readonly subdistrictCode: string;
    readonly closedBy: string;
    readonly closedAt: string;
  };
}

export type EnterpriseReopeningEvent = EnterpriseReopeningCaseOpened | EnterpriseReopeningCaseClosed;
export type EnterpriseReopeningEventType = EnterpriseReopeningEvent['type'];

export const ENTERPRISE_REOPENING_EVENT_TYPES = [
  'EnterpriseReopeningCaseOpened',
  'EnterpriseReopeningCaseClosed',
] as const satisfies readonly EnterpriseReopeningEventType[];
