import { addDays } from '@city/city-time';
import type { CommunityPlace } from '@city/contracts';
import type { Checkpoint } from './checkpoint-registry.decider';
import { documentProblem, phoneProblem, temperatureProblem, type DocumentKind } from './identity';

/** What a registration says, as checked before anything is stored (field names as in the API). */
export interface RegistrationClaims {
  readonly checkpointId: string;
  readonly documentKind: DocumentKind;
  readonly documentNumber: string;
  readonly phone: string;
  readonly originProvinceCode: string;
  readonly originCityCode: string;
  readonly tripDate: string;
  readonly destination: CommunityPlace;
  readonly temperatureC: number;
}

/** Field problems of a registration (empty when none): the API answers 400 naming each field. */
export function registrationProblems(r: RegistrationClaims, today: string, checkpoint: Checkpoint | undefined): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, problem: string | null) => {
    if (problem !== null) (problems[field] ??= []).push(`${field} ${problem}`);
  };
  add('checkpointId', checkpoint ? null : `is not a registered checkpoint (${r.checkpointId})`);
  add('identity.documentNumber', documentProblem(r.documentKind, r.documentNumber, today));
  add('phone', phoneProblem(r.phone));
  add('declaration.temperatureC', temperatureProblem(r.temperatureC));
  add('origin.cityCode', r.originCityCode.slice(0, 2) === r.originProvinceCode.slice(0, 2) ? null : `is not in province ${r.originProvinceCode}`);
  add('trip.date', r.tripDate > addDays(today, 1) ? `is in the future (${r.tripDate})` : r.tripDate < addDays(today, -30) ? 'is more than 30 days ago' : null);
  Object.assign(problems, placeProblems(r.destination, 'destination.'));
  return problems;
}

/** Problems of a community place whose codes do not nest (subdistrict in district, committee in subdistrict); empty when none. */
export function placeProblems(place: CommunityPlace, prefix = ''): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  if (!place.subdistrictCode.startsWith(place.districtCode)) {
    problems[`${prefix}subdistrictCode`] = [`${prefix}subdistrictCode is not in district ${place.districtCode}`];
  }
  if (!place.committeeCode.startsWith(place.subdistrictCode)) {
    problems[`${prefix}committeeCode`] = [`${prefix}committeeCode is not in subdistrict ${place.subdistrictCode}`];
  }
  return problems;
}
