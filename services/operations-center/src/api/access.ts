import { DISTRICTS } from '@city/contracts';
import { assertCanReadCity, assertCanReadDistrict, readableDistricts, type Actor } from '@city/auth';

export function isCityWide(actor: Actor): boolean {
  return readableDistricts(actor) === 'all';
}

/** The district codes a token may read, in the order of the district list. */
export function readableDistrictCodes(actor: Actor): string[] {
  const readable = readableDistricts(actor);
  return DISTRICTS.map((d) => d.code).filter((code) => readable === 'all' || readable.includes(code));
}

/** A city-wide answer (city overview, city series) needs a token that reads every district. */
export { assertCanReadCity as assertCityWide, assertCanReadDistrict };
