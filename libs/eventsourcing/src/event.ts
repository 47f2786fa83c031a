/**
 * A domain event as a decider emits it: a past-tense `type` and its `data`.
 * `schemaVersion` names the contract version of `data` (contracts/); it is 1
 * unless a breaking change created a newer version.
 */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

/** Who caused an event; travels with it to Kafka and the read models. */
export interface EventMetadata {
  /** Id that ties together everything caused by one original request. */
  readonly correlationId: string;
  /** Id of the command or event that directly caused this one. */
  readonly causationId: string;
  /** Subject of the token that issued the command (never personal data). */
  readonly actorId?: string;
  /** Role of the actor, e.g. `field-official`, `district-staff`. */
  readonly actorRole?: string;
  /** District code (GB/T 2260, e.g. `310105`) the fact belongs to, if any. */
  readonly district?: string;
  /** Other string-valued metadata that a service wants to keep. */
  readonly [key: string]: string | undefined;
}

/** An event to append: the domain event plus its id, version and metadata. */
export interface NewEvent<E extends DomainEvent = DomainEvent> {
  /** Unique id (UUID); also the CloudEvents `id`. */
  readonly eventId: string;
  readonly type: E['type'];
  readonly schemaVersion: number;
  readonly data: E['data'];
  readonly metadata: EventMetadata;
}

/** An event as the store recorded it. */
export interface RecordedEvent<E extends DomainEvent = DomainEvent> extends NewEvent<E> {
  readonly streamId: string;
  /** 0-based position of the event in its stream (the stream revision). */
  readonly streamVersion: number;
  /** Position in the store's global log; strictly increasing in commit order. */
  readonly globalPosition: bigint;
  /** When the store committed the event (ISO-8601, UTC). */
  readonly recordedAt: string;
}
