import { HttpException } from '@nestjs/common';
import { ConcurrencyError, ForbiddenError, NotFoundError, RuleViolationError, UnknownEventTypeError, ValidationError } from '@city/eventsourcing';

/** The `outcome` label of `city_commands_total`. */
export type CommandOutcome = 'accepted' | 'rejected_invalid' | 'rejected_rule' | 'conflict' | 'forbidden' | 'not_found' | 'error';

/** Classifies why a command failed, from the typed errors (or an HttpException's status). */
export function commandOutcomeOf(error: unknown): CommandOutcome {
  if (error instanceof ValidationError || error instanceof UnknownEventTypeError) return 'rejected_invalid';
  if (error instanceof RuleViolationError) return 'rejected_rule';
  if (error instanceof ConcurrencyError) return 'conflict';
  if (error instanceof ForbiddenError) return 'forbidden';
  if (error instanceof NotFoundError) return 'not_found';
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 400 || status === 413 || status === 422) return 'rejected_invalid';
    if (status === 401 || status === 403) return 'forbidden';
    if (status === 404) return 'not_found';
    if (status === 409) return 'conflict';
  }
  return 'error';
}
