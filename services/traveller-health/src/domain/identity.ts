/**
 * Checks of what a traveller declares about themselves, pure and framework-free: the
 * mainland resident identity card number (GB 11643, ISO 7064 MOD 11-2 check character),
 * mobile phone numbers and body temperatures. Each answers a problem in words, or null.
 */

export const DOCUMENT_KINDS = ['resident-id', 'passport', 'hk-macao-permit', 'taiwan-permit', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID number. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** A problem with a mainland resident ID number (18 characters), or null; `today` is the city day (YYYY-MM-DD). */
export function residentIdProblem(number: string, today: string): string | null {
  if (!/^\d{17}[\dXx]$/.test(number)) return 'must be 17 digits and a check character (digit or X)';
  const birth = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  const date = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== birth || Number(number.slice(6, 10)) < 1900) {
    return `has no valid date of birth (${birth})`;
  }
  if (birth > today) return `has a date of birth in the future (${birth})`;
  const expected = residentIdCheckChar(number.slice(0, 17));
  if (number[17].toUpperCase() !== expected) return `has a wrong check character (ISO 7064 MOD 11-2 gives ${expected})`;
  return null;
}

/** The document number as it is hashed and stored: trimmed, letters upper-case. */
export function normalisedDocumentNumber(number: string): string {
  return number.trim().toUpperCase();
}

/** A problem with a document, or null. */
export function documentProblem(kind: DocumentKind, number: string, today: string): string | null {
  const n = normalisedDocumentNumber(number);
  if (kind === 'resident-id') return residentIdProblem(n, today);
  if (!/^[A-Z0-9]{5,20}$/.test(n)) return 'must be 5 to 20 letters or digits';
  return null;
}

/** Mainland mobile numbers (11 digits, 1[3-9]…), optionally with +86; other countries in E.164. */
export function phoneProblem(phone: string): string | null {
  const p = phone.replace(/[\s-]/g, '');
  if (/^(\+?86)?1[3-9]\d{9}$/.test(p)) return null;
  if (/^\+(?!86)[1-9]\d{6,14}$/.test(p)) return null;
  return 'is not a mobile phone number (11 digits starting 13–19, or +country code and number)';
}

export const TEMPERATURE_MIN_C = 30;
export const TEMPERATURE_MAX_C = 45;

/** A body temperature a thermometer can read on a living person, in °C with at most one decimal. */
export function temperatureProblem(celsius: number): string | null {
  if (!Number.isFinite(celsius) || celsius < TEMPERATURE_MIN_C || celsius > TEMPERATURE_MAX_C) {
    return `must be between ${TEMPERATURE_MIN_C} and ${TEMPERATURE_MAX_C} °C`;
  }
  return null;
}
