import { assertNever, RuleViolationError, ValidationError, type Decider } from '@city/eventsourcing';
import { isDistrictCode, type SubdistrictRegistered } from '@city/contracts';
import { canvassAccess } from './access-policy';
import type { CommandContext } from './command-context';
import { Rule } from './rules';

/**
 * The subdistricts (and towns) a district has registered: reference data that
 * units point at. One stream per district: `canvass.district-<code>`.
 *
 * Subdistrict codes follow the national township code: the 6-digit district
 * code followed by 3 digits (e.g. 310105002, Jiangsu Road in Changning).
 */

export type RegisterSubdistrict = {
  readonly type: 'RegisterSubdistrict';
  readonly data: { readonly districtCode: string; readonly subdistrictCode: string; readonly name: string };
  readonly metadata: CommandContext;
};

export type DistrictRegistryCommand = RegisterSubdistrict;
export type DistrictRegistryEvent = SubdistrictRegistered;

export type DistrictRegistryState =
  | { readonly status: 'empty' }
  | {
      readonly status: 'active';
      readonly districtCode: string;
      /** Name of each registered subdistrict, by code. */
      readonly subdistricts: ReadonlyMap<string, string>;
    };

export const SUBDISTRICT_CODE_PATTERN = /^\d{9}$/;

export function initialState(): DistrictRegistryState {
  return { status: 'empty' };
}

export function evolve(state: DistrictRegistryState, event: DistrictRegistryEvent): DistrictRegistryState {
  switch (event.type) {
    case 'SubdistrictRegistered': {
      const subdistricts = new Map(state.status === 'active' ? state.subdistricts : []).set(event.data.subdistrictCode, event.data.name);
      return { status: 'active', districtCode: event.data.districtCode, subdistricts };
    }
    default:
      return assertNever(event.type, 'district registry event');
  }
}

export function registerSubdistrict(command: RegisterSubdistrict, state: DistrictRegistryState): DistrictRegistryEvent[] {
  const { districtCode, subdistrictCode, name } = command.data;
  if (!isDistrictCode(districtCode)) throw new RuleViolationError(Rule.unknownDistrict, `District ${districtCode} is not one of the city's districts`);
  canvassAccess.assert('manage', command.metadata.actor, { district: districtCode });
  if (!SUBDISTRICT_CODE_PATTERN.test(subdistrictCode) || !subdistrictCode.startsWith(districtCode)) {
    throw new ValidationError('Invalid subdistrict code', {
      subdistrictCode: [`subdistrictCode must be 9 digits starting with the district code ${districtCode}`],
    });
  }
  const known = state.status === 'active' ? state.subdistricts : new Map<string, string>();
  const existing = known.get(subdistrictCode);
  if (existing !== undefined) {
    if (existing === name) return []; // a retry of the same registration
    throw new RuleViolationError(Rule.subdistrictAlreadyRegistered, `Subdistrict ${subdistrictCode} is already registered as "${existing}"`);
  }
  for (const [code, otherName] of known) {
    if (otherName === name)
      throw new RuleViolationError(Rule.subdistrictNameTaken, `Subdistrict ${code} of district ${districtCode} is already named "${name}"`);
  }
  return [{ type: 'SubdistrictRegistered', data: { districtCode, subdistrictCode, name, registeredAt: command.metadata.now } }];
}

export function decide(command: DistrictRegistryCommand, state: DistrictRegistryState): DistrictRegistryEvent[] {
  switch (command.type) {
    case 'RegisterSubdistrict':
      return registerSubdistrict(command, state);
    default:
      return assertNever(command.type, 'district registry command');
  }
}

/** Codes of the subdistricts registered so far (what unit registration checks against). */
export function registeredSubdistrictCodes(state: DistrictRegistryState): readonly string[] {
  return state.status === 'active' ? [...state.subdistricts.keys()] : [];
}

export const districtRegistryDecider: Decider<DistrictRegistryCommand, DistrictRegistryEvent, DistrictRegistryState> = {
  decide,
  evolve,
  initialState,
};
