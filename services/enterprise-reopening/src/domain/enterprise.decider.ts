import { assertNever, RuleViolationError, type Decider } from '@city/eventsourcing';
import {
  creditCodeProblem,
  enterpriseFactsOf,
  isDistrictCode,
  type EnterpriseFacts,
  type EnterpriseRegistered,
  type EnterpriseSize,
  type EnterpriseStreamEvent,
} from '@city/contracts';
import { enterpriseReopeningAccess, enterpriseScope } from './access-policy';
import type { CommandContext } from './command-context';
import type { IndustryCatalog } from './industry-catalog';
import { Rule } from './rules';

/**
 * One enterprise (`enterprise-reopening.enterprise-<credit code>`), keyed by its
 * unified social credit code (GB 32100-2015, check character verified).
 * Every event carries the enterprise's facts with its reopening status after
 * the event, so consumers need no call back.
 */

// ---- commands ---------------------------------------------------------------

export interface EnterpriseProfile {
  readonly creditCode: string;
  readonly name: string;
  readonly industryCode: string;
  readonly size: EnterpriseSize;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly usualHeadcount: number;
  readonly officeBuildingUnitId?: string;
}

export type RegisterEnterprise = {
  readonly type: 'RegisterEnterprise';
  readonly data: EnterpriseProfile & {
    /** The industries the service knows (reference data). */
    readonly industries: IndustryCatalog;
  };
  readonly metadata: CommandContext;
};

export type EnterpriseCommand = RegisterEnterprise;
export type EnterpriseEvent = EnterpriseStreamEvent;

// ---- state ------------------------------------------------------------------

export interface RegisteredEnterprise {
  readonly status: 'registered';
  readonly registration: EnterpriseRegistered['data'];
  readonly facts: EnterpriseFacts;
}

export type EnterpriseState = { readonly status: 'unregistered' } | RegisteredEnterprise;

export function initialState(): EnterpriseState {
  return { status: 'unregistered' };
}

export function evolve(state: EnterpriseState, event: EnterpriseEvent): EnterpriseState {
  if (event.type === 'EnterpriseRegistered') return { status: 'registered', registration: event.data, facts: enterpriseFactsOf(event.data) };
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'ReopeningDeclared':
    case 'InspectionRecorded':
    case 'RectificationSubmitted':
    case 'EnterpriseReopened':
    case 'DailyWorkforceReported':
    case 'SurveyAnswered':
      return { ...state, facts: enterpriseFactsOf(event.data) };
    default:
      return assertNever(event, 'enterprise event');
  }
}

// ---- decisions --------------------------------------------------------------

export function registerEnterprise(command: RegisterEnterprise, state: EnterpriseState): EnterpriseEvent[] {
  const { industries, ...d } = command.data;
  const { actor, now } = command.metadata;
  const problem = creditCodeProblem(d.creditCode);
  if (problem !== null) {
    throw new RuleViolationError(
      Rule.invalidCreditCode,
      problem === 'format'
        ? `creditCode ${d.creditCode} is not an 18-character unified social credit code`
        : `creditCode ${d.creditCode} has a wrong check character (GB 32100-2015)`,
    );
  }
  if (!isDistrictCode(d.districtCode)) throw new RuleViolationError(Rule.unknownDistrict, `District ${d.districtCode} is not one of the city's districts`);
  enterpriseReopeningAccess.assert('register', actor, enterpriseScope(d));
  if (!d.subdistrictCode.startsWith(d.districtCode)) {
    throw new RuleViolationError(Rule.subdistrictOutsideDistrict, `Subdistrict ${d.subdistrictCode} is not in district ${d.districtCode}`);
  }
  if (!industries.has(d.industryCode))
    throw new RuleViolationError(Rule.unknownIndustry, `industryCode ${d.industryCode} is not an industry of the guideline catalog`);
  if (state.status !== 'unregistered') {
    if (sameRegistration(state.registration, d)) return []; // a retry of the same registration
    throw new RuleViolationError(Rule.enterpriseAlreadyRegistered, `Enterprise ${d.creditCode} is already registered`);
  }
  return [
    {
      type: 'EnterpriseRegistered',
      data: {
        creditCode: d.creditCode,
        size: d.size,
        industryCode: d.industryCode,
        districtCode: d.districtCode,
        subdistrictCode: d.subdistrictCode,
        usualHeadcount: d.usualHeadcount,
        reopeningStatus: 'not-declared',
        name: d.name,
        ...(d.officeBuildingUnitId === undefined ? {} : { officeBuildingUnitId: d.officeBuildingUnitId }),
        registeredBy: actor.sub,
        registeredAt: now,
      },
    },
  ];
}

function sameRegistration(r: EnterpriseRegistered['data'], d: EnterpriseProfile): boolean {
  return (
    r.name === d.name &&
    r.industryCode === d.industryCode &&
    r.size === d.size &&
    r.districtCode === d.districtCode &&
    r.subdistrictCode === d.subdistrictCode &&
    r.usualHeadcount === d.usualHeadcount &&
    r.officeBuildingUnitId === d.officeBuildingUnitId
  );
}

export function decide(command: EnterpriseCommand, state: EnterpriseState): EnterpriseEvent[] {
  switch (command.type) {
    case 'RegisterEnterprise':
      return registerEnterprise(command, state);
    default:
      return assertNever(command as never, 'enterprise command');
  }
}

export const enterpriseDecider: Decider<EnterpriseCommand, EnterpriseEvent, EnterpriseState> = { decide, evolve, initialState };
