import { assertNever, NotFoundError, RuleViolationError, type Decider } from '@city/eventsourcing';
import type { PolicyReliefCaseClosed, PolicyReliefCaseOpened } from '@city/contracts';
import { policyReliefAccess } from './access-policy';
import type { CommandContext } from './command-context';
import { Rule } from './rules';

/**
 * A policy-relief case (`policy-relief.case-<id>`): opened in a district, then closed.
 * The sample aggregate of a new department: replace it with the department's own.
 * Ids and time arrive in the command, so `decide` is pure.
 */

export type OpenCase = {
  readonly type: 'OpenCase';
  readonly data: { readonly caseId: string; readonly districtCode: string; readonly subdistrictCode: string; readonly subject: string };
  readonly metadata: CommandContext;
};

export type CloseCase = {
  readonly type: 'CloseCase';
  readonly data: { readonly caseId: string };
  readonly metadata: CommandContext;
};

export type CaseCommand = OpenCase | CloseCase;
export type CaseEvent = PolicyReliefCaseOpened | PolicyReliefCaseClosed;

export type CaseState =
  | { readonly status: 'none' }
  | { readonly status: 'open'; readonly opened: PolicyReliefCaseOpened['data'] }
  | { readonly status: 'closed'; readonly opened: PolicyReliefCaseOpened['data']; readonly closed: PolicyReliefCaseClosed['data'] };

export function initialState(): CaseState {
  return { status: 'none' };
}

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'PolicyReliefCaseOpened':
      return { status: 'open', opened: event.data };
    case 'PolicyReliefCaseClosed':
      return state.status === 'none' ? state : { status: 'closed', opened: state.opened, closed: event.data };
    default:
      return assertNever(event, 'policy-relief case event');
  }
}

export function openCase(command: OpenCase, state: CaseState): CaseEvent[] {
  const { caseId, districtCode, subdistrictCode, subject } = command.data;
  const { actor, now } = command.metadata;
  policyReliefAccess.assert('manage', actor, { district: districtCode, subdistrict: subdistrictCode });
  if (state.status !== 'none') {
    const o = state.opened;
    if (o.districtCode === districtCode && o.subdistrictCode === subdistrictCode && o.subject === subject) return []; // a retry of the same opening
    throw new RuleViolationError(Rule.caseAlreadyOpened, `Case ${caseId} is already open`);
  }
  if (!subdistrictCode.startsWith(districtCode)) {
    throw new RuleViolationError(Rule.subdistrictOutsideDistrict, `Subdistrict ${subdistrictCode} is not in district ${districtCode}`);
  }
  return [{ type: 'PolicyReliefCaseOpened', data: { caseId, districtCode, subdistrictCode, subject, openedBy: actor.sub, openedAt: now } }];
}

export function closeCase(command: CloseCase, state: CaseState): CaseEvent[] {
  const { caseId } = command.data;
  const { actor, now } = command.metadata;
  if (state.status === 'none') throw new NotFoundError(`Unknown case ${caseId}`);
  const { districtCode, subdistrictCode } = state.opened;
  policyReliefAccess.assert('manage', actor, { district: districtCode, subdistrict: subdistrictCode });
  if (state.status === 'closed') return []; // closing it again changes nothing
  return [{ type: 'PolicyReliefCaseClosed', data: { caseId, districtCode, subdistrictCode, closedBy: actor.sub, closedAt: now } }];
}

export function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'OpenCase':
      return openCase(command, state);
    case 'CloseCase':
      return closeCase(command, state);
    default:
      return assertNever(command, 'policy-relief case command');
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = { decide, evolve, initialState };
