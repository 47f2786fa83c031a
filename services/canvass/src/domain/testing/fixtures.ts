import type { Actor, CommandContext } from '../command-context';

/** Actors and clock for the decider specs: Changning (310105), Jiangsu Road subdistrict (310105002). */
export const DISTRICT = '310105';
export const SUBDISTRICT = '310105002';
export const OTHER_SUBDISTRICT = '310105003';
export const NOW = '2020-02-10T10:00:00+08:00';

export const actors = {
  official: { sub: 'official-wang', role: 'field-official', district: DISTRICT, subdistrict: SUBDISTRICT },
  colleague: { sub: 'official-li', role: 'field-official', district: DISTRICT, subdistrict: SUBDISTRICT },
  farOfficial: { sub: 'official-zhao', role: 'field-official', district: DISTRICT, subdistrict: OTHER_SUBDISTRICT },
  districtStaff: { sub: 'staff-chen', role: 'district-staff', district: DISTRICT },
  otherDistrictStaff: { sub: 'staff-xu', role: 'district-staff', district: '310107' },
  department: { sub: 'canvass-desk', role: 'department', department: 'canvass' },
  otherDepartment: { sub: 'health-desk', role: 'department', department: 'traveller-health' },
  cityCenter: { sub: 'city-ops', role: 'city-center' },
} satisfies Record<string, Actor>;

export function by(actor: Actor, now = NOW): CommandContext {
  return { actor, now };
}
