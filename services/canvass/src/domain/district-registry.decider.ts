import { assertNever, RuleViolationError, ValidationError, type Decider } from '@city/eventsourcing';
import { isDistrictCode, type SubdistrictRegistered } from '@city/contracts';
import { assertCanManageDistrict } from './access-policy';
import type { CommandContext } from './actor';
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

export interface RegisteredSubdistrict {
  readonly name: string;
  /** Stream version of its registration (what an idempotent retry answers). */
  readonly version: number;
}

export type DistrictRegistryState =
  | { readonly status: 'empty'; readonly version: number }
  | {
      readonly status: 'active';
      readonly version: number;
      readonly districtCode: string;
      readonly subdistricts: ReadonlyMap<string, RegisteredSubdistrict>;
    };

export const SUBDISTRICT_CODE_PATTERN = /^\d{9}$/;

export function initialState(): DistrictRegistryState {
  return { status: 'empty', version: -1 };
}

export function evolve(state: DistrictRegistryState, event: DistrictRegistryEvent): DistrictRegistryState {
  const version = state.version + 1;
  switch (event.type) {
    case 'SubdistrictRegistered': {
      const subdistricts = new Map(state.status === 'active' ? state.subdistricts : []);
      subdistricts.set(event.data.subdistrictCode, { name: event.data.name, version });
      return { status: 'active', version, districtCode: event.data.districtCode, subdistricts };
    }
    default:
      return assertNever(event.type, 'district registry event');
  }
}

export function registerSubdistrict(command: RegisterSubdistrict, state: DistrictRegistryState): DistrictRegistryEvent[] {
  const { districtCode, subdistrictCode, name } = command.data;
  if (!isDistrictCode(districtCode)) throw new RuleViolationError(Rule.unknownDistrict, `District ${districtCode} is not one of the city's districts`);
  assertCanManageDistrict(command.metadata.actor, districtCode);
  if (!SUBDISTRICT_CODE_PATTERN.test(subdistrictCode) || !subdistrictCode.startsWith(districtCode)) {
    throw new ValidationError('Invalid subdistrict code', {
      subdistrictCode: [`subdistrictCode must be 9 digits starting with the district code ${districtCode}`],
    });
  }
  const known = state.status === 'active' ? state.subdistricts : new Map<string, RegisteredSubdistrict>();
  const existing = known.get(subdistrictCode);
  if (existing) {
    if (existing.name === name) return []; // a retry of the same registration
    throw new RuleViolationError(Rule.subdistrictAlreadyRegistered, `Subdistrict ${subdistrictCode} is already registered as "${existing.name}"`);
  }
  for (const [code, other] of known) {
    if (other.name === name) throw new RuleViolationError(Rule.subdistrictNameTaken, `Subdistrict ${code} of district ${districtCode} is already named "${name}"`);
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
