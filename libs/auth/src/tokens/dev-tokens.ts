import type { Actor } from '../actor';
import { issueToken, type IssueTokenOptions } from './issue-token';

/** The sample actors `npm start` prints tokens for. */
export const DEV_ACTORS = {
  cityCenter: { sub: 'dev-city-center', role: 'city-center', name: 'City operations center' },
  changningStaff: { sub: 'dev-changning-staff', role: 'district-staff', district: '310105', name: 'Changning district office' },
  fieldOfficial: {
    sub: 'dev-field-official',
    role: 'field-official',
    district: '310105',
    subdistrict: '310105001',
    department: 'canvass',
    name: 'Field official, Changning',
  },
  canvassDepartment: { sub: 'dev-canvass-department', role: 'department', department: 'canvass', name: 'Canvass department' },
} as const satisfies Record<string, Actor>;

export type DevTokens = { readonly [K in keyof typeof DEV_ACTORS]: string };

/** Signed sample tokens (lifetime 12 hours, the longest a service accepts by default) for local runs and tests. */
export function devTokens(secret: string, options: IssueTokenOptions = {}): DevTokens {
  const sign = (actor: Actor): string => issueToken(actor, secret, { expiresIn: '12h', ...options });
  return {
    cityCenter: sign(DEV_ACTORS.cityCenter),
    changningStaff: sign(DEV_ACTORS.changningStaff),
    fieldOfficial: sign(DEV_ACTORS.fieldOfficial),
    canvassDepartment: sign(DEV_ACTORS.canvassDepartment),
  };
}
