import { assertNever, NotFoundError, RuleViolationError, type Decider } from '@city/eventsourcing';
import type { TravellerHealthCaseClosed, TravellerHealthCaseOpened } from '@city/contracts';
import { travellerHealthAccess } from './access-policy';
import type { CommandContext } from './command-context';
import { Rule } from './rules';

/**
 * A traveller-health case (`traveller-health.case-<id>`): opened in a district, then closed.
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
export type CaseEvent = TravellerHealthCaseOpened | TravellerHealthCaseClosed;

export type CaseState =
  | { readonly status: 'none' }
  | { readonly status: 'open'; readonly opened: TravellerHealthCaseOpened['data'] }
  | { readonly status: 'closed'; readonly opened: TravellerHealthCaseOpened['data']; readonly closed: TravellerHealthCaseClosed['data'] };

export function initialState(): CaseState {
  return { status: 'none' };
}

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'TravellerHealthCaseOpened':
      return { status: 'open', opened: event.data };
    case 'TravellerHealthCaseClosed':
      return state.status === 'none' ? state : { status: 'closed', opened: state.opened, closed: event.data };
    default:
      return assertNever(event, 'traveller-health case event');
  }
}

export function openCase(command: OpenCase, state: CaseState): CaseEvent[] {
  const { caseId, districtCode, subdistrictCode, subject } = command.data;
  const { actor, now } = command.metadata;
  travellerHealthAccess.assert('manage', actor, { district: districtCode, subdistrict: subdistrictCode });
  if (state.status !== 'none') {
    const o = state.opened;
    if (o.districtCode === districtCode && o.subdistrictCode === subdistrictCode && o.subject === subject) return []; // a retry of the same opening
    throw new RuleViolationError(Rule.caseAlreadyOpened, `Case ${caseId} is already open`);
  }
  if (!subdistrictCode.startsWith(districtCode)) {
    throw new RuleViolationError(Rule.subdistrictOutsideDistrict, `Subdistrict ${subdistrictCode} is not in district ${districtCode}`);
  }
  return [{ type: 'TravellerHealthCaseOpened', data: { caseId, districtCode, subdistrictCode, subject, openedBy: actor.sub, openedAt: now } }];
}

export function closeCase(command: CloseCase, state: CaseState): CaseEvent[] {
  const { caseId } = command.data;
  const { actor, now } = command.metadata;
  if (state.status === 'none') throw new NotFoundError(`Unknown case ${caseId}`);
  const { districtCode, subdistrictCode } = state.opened;
  travellerHealthAccess.assert('manage', actor, { district: districtCode, subdistrict: subdistrictCode });
  if (state.status === 'closed') return []; // closing it again changes nothing
  return [{ type: 'TravellerHealthCaseClosed', data: { caseId, districtCode, subdistrictCode, closedBy: actor.sub, closedAt: now } }];
}

export function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'OpenCase':
      return openCase(command, state);
    case 'CloseCase':
      return closeCase(command, state);
    default:
      return assertNever(command, 'traveller-health case command');
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = { decide, evolve, initialState };
