/**
 * The events of the traveller-health context, published on Kafka topic `traveller-health.events.v1`.
 * Each type has a JSON Schema per version in contracts/topics/traveller-health.events.v1/schemas
 * (the contract tests check both say the same). Timestamps are ISO-8601 with
 * offset; district codes are GB/T 2260; ids are opaque strings; no personal data.
 */

export const TRAVELLER_HEALTH_TOPIC = 'traveller-health.events.v1';
/** Every traveller-health stream id starts with this prefix. */
export const TRAVELLER_HEALTH_STREAM_PREFIX = 'traveller-health.';

/** Stream ids of the traveller-health aggregates (also the Kafka key). */
export const travellerHealthStreams = {
  case: (caseId: string): string => `${TRAVELLER_HEALTH_STREAM_PREFIX}case-${caseId}`,
} as const;

export interface TravellerHealthCaseOpened {
  readonly type: 'TravellerHealthCaseOpened';
  readonly data: {
    readonly caseId: string;
    readonly districtCode: string;
    readonly subdistrictCode: string;
    readonly subject: string;
    readonly openedBy: string;
    readonly openedAt: string;
  };
}

export interface TravellerHealthCaseClosed {
  readonly type: 'TravellerHealthCaseClosed';
  readonly data: {
    readonly caseId: string;
    readonly districtCode: string;
    readonly subdistrictCode: string;
    readonly closedBy: string;
    readonly closedAt: string;
  };
}

export type TravellerHealthEvent = TravellerHealthCaseOpened | TravellerHealthCaseClosed;
export type TravellerHealthEventType = TravellerHealthEvent['type'];

export const TRAVELLER_HEALTH_EVENT_TYPES = ['TravellerHealthCaseOpened', 'TravellerHealthCaseClosed'] as const satisfies readonly TravellerHealthEventType[];
