import { assertNever, ValidationError, type Decider } from '@city/eventsourcing';
import type { CommitteeRegistered } from '@city/contracts';
import { travellerHealthAccess } from './access-policy';
import type { CommandContext } from './command-context';
import { placeProblems } from './registration-checks';

/**
 * A district's residents' committees (`traveller-health.committees-<district>`): reference data
 * the district or the city registers, so that a traveller picks their subdistrict and committee by
 * name instead of typing codes. A district sends its list at once; a committee new or under other
 * names is one event each, one registered as it is none (the list sent again, or a retry).
 */

export interface Committee {
  readonly subdistrictCode: string;
  readonly subdistrictName: string;
  readonly committeeCode: string;
  readonly name: string;
}

export type RegisterCommittees = {
  readonly type: 'RegisterCommittees';
  readonly data: { readonly districtCode: string; readonly committees: readonly Committee[] };
  readonly metadata: CommandContext;
};
export type CommitteeCommand = RegisterCommittees;
export type CommitteeEvent = CommitteeRegistered;
export type CommitteeRegistryState = {
  readonly committees: ReadonlyMap<string, Committee>;
  /** Each subdistrict's name as its latest committee registration gave it (a renamed subdistrict's committees need not all be sent again). */
  readonly subdistricts: ReadonlyMap<string, string>;
};

export const initialState = (): CommitteeRegistryState => ({ committees: new Map(), subdistricts: new Map() });

export function evolve(state: CommitteeRegistryState, event: CommitteeEvent): CommitteeRegistryState {
  switch (event.type) {
    case 'CommitteeRegistered': {
      const { subdistrictCode, subdistrictName, committeeCode, name } = event.data;
      return {
        committees: new Map(state.committees).set(committeeCode, { subdistrictCode, subdistrictName, committeeCode, name }),
        subdistricts: new Map(state.subdistricts).set(subdistrictCode, subdistrictName),
      };
    }
    default:
      return assertNever(event.type, 'committee event');
  }
}

/** Problems of a list by field (`committees.<i>.<field>`): codes that do not nest in the district, a code or a subdistrict named twice otherwise. */
function listProblems(districtCode: string, committees: readonly Committee[]): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const committeeAt = new Map<string, number>();
  const subdistrictNames = new Map<string, string>();
  committees.forEach((c, i) => {
    const at = `committees.${i}.`;
    Object.assign(problems, placeProblems({ districtCode, subdistrictCode: c.subdistrictCode, committeeCode: c.committeeCode }, at));
    const first = committeeAt.get(c.committeeCode);
    if (first !== undefined && committees[first].name !== c.name)
      (problems[`${at}committeeCode`] ??= []).push(`${at}committeeCode appears again at ${first} under another name`);
    committeeAt.set(c.committeeCode, first ?? i);
    const subdistrictName = subdistrictNames.get(c.subdistrictCode);
    if (subdistrictName !== undefined && subdistrictName !== c.subdistrictName) {
      (problems[`${at}subdistrictName`] ??= []).push(`${at}subdistrictName differs from "${subdistrictName}" given before for ${c.subdistrictCode}`);
    }
    subdistrictNames.set(c.subdistrictCode, subdistrictName ?? c.subdistrictName);
  });
  return problems;
}

export function registerCommittees(command: RegisterCommittees, state: CommitteeRegistryState): CommitteeEvent[] {
  const { actor, now } = command.metadata;
  const { districtCode, committees } = command.data;
  travellerHealthAccess.assert('registerCommittees', actor, { district: districtCode });
  const problems = listProblems(districtCode, committees);
  if (Object.keys(problems).length > 0) throw new ValidationError(`The committees of district ${districtCode} are not valid`, problems);
  const events: CommitteeEvent[] = [];
  const sent = new Set<string>();
  for (const c of committees) {
    if (sent.has(c.committeeCode)) continue;
    sent.add(c.committeeCode);
    const known = state.committees.get(c.committeeCode);
    if (known && known.name === c.name && known.subdistrictName === c.subdistrictName) continue;
    events.push({
      type: 'CommitteeRegistered',
      data: {
        districtCode,
        subdistrictCode: c.subdistrictCode,
        committeeCode: c.committeeCode,
        subdistrictName: c.subdistrictName,
        name: c.name,
        registeredBy: actor.sub,
        registeredAt: now,
      },
    });
  }
  return events;
}

export function decide(command: CommitteeCommand, state: CommitteeRegistryState): CommitteeEvent[] {
  switch (command.type) {
    case 'RegisterCommittees':
      return registerCommittees(command, state);
    default:
      return assertNever(command.type, 'committee command');
  }
}

export const committeeRegistryDecider: Decider<CommitteeCommand, CommitteeEvent, CommitteeRegistryState> = { decide, evolve, initialState };
