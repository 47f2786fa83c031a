import { INDUSTRY_CODES } from '@city/contracts';
import type { Actor, CommandContext } from '../command-context';
import type { IndustryCatalog } from '../industry-catalog';

/** Actors and clock for the decider specs: Changning (310105), Jiangsu Road subdistrict (310105002). */
export const DISTRICT = '310105';
export const SUBDISTRICT = '310105002';
export const OTHER_SUBDISTRICT = '310105003';
export const NOW = '2020-02-10T10:00:00+08:00';
/** A valid unified social credit code (check character K). */
export const CREDIT_CODE = '91310105MA1FL3KX0K';
export const OTHER_CREDIT_CODE = '91350100M000100Y43';

export const actors = {
  commission: { sub: 'eic-desk', role: 'department', department: 'enterprise-reopening' },
  districtStaff: { sub: 'staff-chen', role: 'district-staff', district: DISTRICT },
  otherDistrictStaff: { sub: 'staff-xu', role: 'district-staff', district: '310107' },
  inspector: { sub: 'inspector-wang', role: 'field-official', district: DISTRICT, subdistrict: SUBDISTRICT, department: 'enterprise-reopening' },
  otherDistrictInspector: { sub: 'inspector-zhao', role: 'field-official', district: '310107', subdistrict: '310107017', department: 'enterprise-reopening' },
  otherDepartment: { sub: 'health-desk', role: 'department', department: 'traveller-health' },
  cityCenter: { sub: 'city-ops', role: 'city-center' },
} satisfies Record<string, Actor>;

export const industries: IndustryCatalog = { has: (code) => INDUSTRY_CODES.includes(code) };

export function by(actor: Actor, now = NOW): CommandContext {
  return { actor, now };
}

export const enterpriseActor = (creditCode = CREDIT_CODE): Actor => ({ sub: creditCode, role: 'enterprise' });
