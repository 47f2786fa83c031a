/**
 * Typed errors that every entry point of the libraries and services throws.
 * The HTTP layer maps them to status codes (see `httpStatusOf`), so a client
 * mistake is never a 500.
 */
export abstract class CityError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream was not at the expected version: someone else wrote first. */
export class ConcurrencyError extends CityError {
  readonly code = 'version_conflict';
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${expected}`);
  }
}

/** A business rule refused the command; `rule` names it for the caller. */
export class RuleViolationError extends CityError {
  readonly code = 'rule_violation';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** The command refers to something that does not exist. */
export class NotFoundError extends CityError {
  readonly code = 'not_found';
  constructor(
    message: string,
    /**
     * Set when the thing exists but the actor may not see it: it is answered
     * exactly as an unknown one (so ids cannot be probed), and the refusal is
     * still logged and counted with this reason. Never shown to the caller.
     */
    readonly hiddenRefusal?: AccessRefusalReason,
  ) {
    super(message);
  }
}

/** Input that does not have the required shape. `fields` says which and why. */
export class ValidationError extends CityError {
  readonly code = 'invalid';
  constructor(
    message: string,
    readonly fields: Readonly<Record<string, string[]>> = {},
  ) {
    super(message);
  }
}

/** An event type (or version) that no contract or upcaster knows. */
export class UnknownEventTypeError extends CityError {
  readonly code = 'unknown_event_type';
  constructor(
    readonly type: string,
    readonly schemaVersion?: number,
  ) {
    super(`Unknown event type ${type}${schemaVersion === undefined ? '' : ` v${schemaVersion}`}`);
  }
}

/**
 * Why an actor was refused: the `reason` of the 403 body and the label of
 * `city_auth_refusals_total`. A closed set, so the metric's label stays bounded.
 */
export type AccessRefusalReason = 'wrong_role' | 'wrong_department' | 'other_district' | 'other_subdistrict' | 'other_committee';

/**
 * The actor may not do this: the one refusal error, thrown by the auth guard,
 * by access policies and by deciders alike. It lives here, free of any
 * framework, so domain code can throw it and the HTTP layer can read `reason`.
 */
export class ForbiddenError extends CityError {
  readonly code = 'forbidden';
  constructor(
    message: string,
    /** Why; left out only where no rule of the access model applies (counted as `forbidden`). */
    readonly reason?: AccessRefusalReason,
  ) {
    super(message);
  }
}
