/**
 * Who issues a command, as the bearer token says. The shape mirrors the Actor of
 * @city/auth (structurally), so the API layer passes its actor straight in while
 * the domain stays free of framework imports.
 */
export type ActorRole = 'city-center' | 'district-staff' | 'field-official' | 'department';

export interface Actor {
  /** Token subject: the official's or staff member's id (never personal data). */
  readonly sub: string;
  readonly role: ActorRole;
  /** District code of district staff and field officials. */
  readonly district?: string;
  /** Subdistrict code of field officials. */
  readonly subdistrict?: string;
  /** Department of department tokens, e.g. `canvass`. */
  readonly department?: string;
}

/** The department whose tokens may issue canvass commands everywhere. */
export const CANVASS_DEPARTMENT = 'canvass';

/** What every command carries besides its data: who, and when the service received it. */
export interface CommandContext {
  readonly actor: Actor;
  /** Server time the command was received (ISO-8601); the reference for "in the future". */
  readonly now: string;
}
