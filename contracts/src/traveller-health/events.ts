/**
 * The events of the traveller-health context, published on Kafka topic `traveller-health.events.v1`.
 * Each type has a JSON Schema per version in contracts/topics/traveller-health.events.v1/schemas
 * (the contract tests check both say the same). Timestamps are ISO-8601 with offset; days are
 * Asia/Shanghai calendar days (YYYY-MM-DD); area codes are GB/T 2260.
 *
 * Personal data never appears here (ARCHITECTURE.md decision 7): a traveller is named by a
 * pseudonymous id (a keyed hash of the identity document, see `TravellerId`); names, document
 * numbers, phone numbers and street addresses stay encrypted inside the traveller-health service.
 */

export const TRAVELLER_HEALTH_TOPIC = 'traveller-health.events.v1';
/** Every traveller-health stream id starts with this prefix. */
export const TRAVELLER_HEALTH_STREAM_PREFIX = 'traveller-health.';

/** Stream ids of the traveller-health aggregates (also the Kafka key). */
export const travellerHealthStreams = {
  /** The city's register of checkpoints (reference data, one stream). */
  checkpoints: (): string => `${TRAVELLER_HEALTH_STREAM_PREFIX}checkpoints`,
  /** A district's register of its residents' committees and their subdistricts (reference data, one stream per district). */
  committees: (districtCode: string): string => `${TRAVELLER_HEALTH_STREAM_PREFIX}committees-${districtCode}`,
  /** One traveller: registrations, community push, home observation, erasure. */
  traveller: (travellerId: string): string => `${TRAVELLER_HEALTH_STREAM_PREFIX}traveller-${travellerId}`,
} as const;

/**
 * Pseudonymous traveller id: the first 32 hex characters of HMAC-SHA256 over the document kind
 * and number, keyed with a secret only the traveller-health service holds. The same person
 * registering again gets the same id; nobody without the secret can recompute it.
 */
export type TravellerId = string;

export const CHECKPOINT_KINDS = ['road', 'railway', 'airport', 'port'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];

export const TRIP_MODES = ['car', 'coach', 'train', 'flight', 'ship', 'other'] as const;
export type TripMode = (typeof TRIP_MODES)[number];

export const REGISTRATION_CHANNELS = ['phone', 'kiosk'] as const;
export type RegistrationChannel = (typeof REGISTRATION_CHANNELS)[number];

export const RISK_CLASSES = ['key', 'general'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

export const CHECK_IN_SLOTS = ['morning', 'evening'] as const;
export type CheckInSlot = (typeof CHECK_IN_SLOTS)[number];

export const FLAG_KINDS = ['missed-check-in', 'fever'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export const REFERRAL_OUTCOMES = ['cleared', 'isolated', 'hospitalised'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** A rule of a risk rule set that fired for a classification, with the reason it gives. */
export interface FiredRule {
  readonly ruleId: string;
  readonly reason: string;
}

/** Where a traveller lives in the city while in observation: district, subdistrict, residents' committee. */
export interface CommunityPlace {
  readonly districtCode: string;
  readonly subdistrictCode: string;
  /** Residents' (or village) committee: the 9-digit subdistrict code and 3 digits. */
  readonly committeeCode: string;
}

export interface CheckpointRegistered {
  readonly type: 'CheckpointRegistered';
  readonly data: {
    readonly checkpointId: string;
    readonly name: string;
    readonly kind: CheckpointKind;
    readonly districtCode: string;
    readonly registeredBy: string;
    readonly registeredAt: string;
  };
}

/**
 * A residents' (or village) committee of a district, with its subdistrict's name, was registered
 * by its district or the city; registered again under other names, it is renamed.
 */
export interface CommitteeRegistered {
  readonly type: 'CommitteeRegistered';
  readonly data: CommunityPlace & {
    readonly subdistrictName: string;
    readonly name: string;
    readonly registeredBy: string;
    readonly registeredAt: string;
  };
}

export interface TravellerRegistered {
  readonly type: 'TravellerRegistered';
  readonly data: CommunityPlace & {
    readonly registrationId: string;
    readonly travellerId: TravellerId;
    readonly channel: RegistrationChannel;
    readonly checkpointId: string;
    readonly checkpointKind: CheckpointKind;
    readonly checkpointDistrictCode: string;
    /** Province of origin (GB/T 2260, e.g. 420000 Hubei). */
    readonly originProvinceCode: string;
    /** City of origin (GB/T 2260, e.g. 420100 Wuhan). */
    readonly originCityCode: string;
    readonly tripMode: TripMode;
    readonly tripDate: string;
    readonly riskClass: RiskClass;
    readonly ruleSetVersion: string;
    readonly firedRules: readonly FiredRule[];
    /** How many registrations of this traveller there are, this one included. */
    readonly registrationCount: number;
    readonly registeredAt: string;
    /** City day of the registration. */
    readonly registrationDay: string;
  };
}

export interface KeyPersonPushed {
  readonly type: 'KeyPersonPushed';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    readonly registrationId: string;
    readonly ruleSetVersion: string;
    readonly firedRuleIds: readonly string[];
    readonly pushedAt: string;
  };
}

export interface HomeObservationStarted {
  readonly type: 'HomeObservationStarted';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    /** First of the 14 days. */
    readonly firstDay: string;
    /** Last of the 14 days. */
    readonly lastDay: string;
    /** Day 15: released on it when the 14 days were clean. */
    readonly releaseDay: string;
    readonly startedBy: string;
    readonly startedAt: string;
  };
}

export interface CheckInRecorded {
  readonly type: 'CheckInRecorded';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    readonly day: string;
    readonly slot: CheckInSlot;
    readonly fever: boolean;
    readonly symptomatic: boolean;
    readonly recordedBy: string;
    readonly recordedAt: string;
  };
}

export interface CheckInMissed {
  readonly type: 'CheckInMissed';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    readonly day: string;
    readonly slot: CheckInSlot;
    readonly detectedAt: string;
  };
}

export interface ObservationFlagRaised {
  readonly type: 'ObservationFlagRaised';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    readonly flagId: string;
    readonly kind: FlagKind;
    readonly day: string;
    readonly raisedAt: string;
  };
}

export interface ObservationFlagResolved {
  readonly type: 'ObservationFlagResolved';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    readonly flagId: string;
    readonly kind: FlagKind;
    readonly resolvedBy: string;
    readonly resolvedAt: string;
  };
}

export interface FeverClinicReferred {
  readonly type: 'FeverClinicReferred';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    readonly referralId: string;
    readonly referredBy: string;
    readonly referredAt: string;
  };
}

export interface ReferralOutcomeRecorded {
  readonly type: 'ReferralOutcomeRecorded';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    readonly referralId: string;
    readonly outcome: ReferralOutcome;
    readonly recordedBy: string;
    readonly recordedAt: string;
  };
}

export interface HomeObservationReleased {
  readonly type: 'HomeObservationReleased';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    readonly firstDay: string;
    readonly releasedOn: string;
    readonly releasedAt: string;
  };
}

export interface HomeObservationTransferred {
  readonly type: 'HomeObservationTransferred';
  readonly data: CommunityPlace & {
    readonly travellerId: TravellerId;
    readonly fromDistrictCode: string;
    readonly fromSubdistrictCode: string;
    readonly fromCommitteeCode: string;
    readonly transferredBy: string;
    readonly transferredAt: string;
  };
}

export interface PersonalDataErased {
  readonly type: 'PersonalDataErased';
  readonly data: {
    readonly travellerId: TravellerId;
    readonly districtCode: string;
    readonly erasedBy: string;
    readonly erasedAt: string;
  };
}

export type TravellerHealthEvent =
  | CheckpointRegistered
  | CommitteeRegistered
  | TravellerRegistered
  | KeyPersonPushed
  | HomeObservationStarted
  | CheckInRecorded
  | CheckInMissed
  | ObservationFlagRaised
  | ObservationFlagResolved
  | FeverClinicReferred
  | ReferralOutcomeRecorded
  | HomeObservationReleased
  | HomeObservationTransferred
  | PersonalDataErased;
export type TravellerHealthEventType = TravellerHealthEvent['type'];
export type TravellerHealthEventOf<T extends TravellerHealthEventType> = Extract<TravellerHealthEvent, { type: T }>;

export const TRAVELLER_HEALTH_EVENT_TYPES = [
  'CheckpointRegistered',
  'CommitteeRegistered',
  'TravellerRegistered',
  'KeyPersonPushed',
  'HomeObservationStarted',
  'CheckInRecorded',
  'CheckInMissed',
  'ObservationFlagRaised',
  'ObservationFlagResolved',
  'FeverClinicReferred',
  'ReferralOutcomeRecorded',
  'HomeObservationReleased',
  'HomeObservationTransferred',
  'PersonalDataErased',
] as const satisfies readonly TravellerHealthEventType[];
