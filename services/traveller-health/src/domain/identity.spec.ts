import { documentProblem, phoneProblem, residentIdCheckChar, residentIdProblem, temperatureProblem } from './identity';

const TODAY = '2020-02-12';
const valid = '11010519491231002X'; // the standard's own example

describe('identity checks', () => {
  it('computes the ISO 7064 MOD 11-2 check character of the standard example', () => expect(residentIdCheckChar(valid.slice(0, 17))).toBe('X'));
  it('accepts a valid resident ID, lower-case x too', () => expect(residentIdProblem(valid.toLowerCase(), TODAY)).toBeNull());
  it('refuses a wrong check character', () => expect(residentIdProblem('110105194912310021', TODAY)).toMatch(/check character/));
  it('refuses a date of birth in the future', () => {
    const first17 = '31010520300101123';
    expect(residentIdProblem(first17 + residentIdCheckChar(first17), TODAY)).toMatch(/future/);
  });
  it('refuses an impossible date of birth', () => {
    const first17 = '31010519900230123';
    expect(residentIdProblem(first17 + residentIdCheckChar(first17), TODAY)).toMatch(/date of birth/);
  });
  it('checks other documents by shape only', () => {
    expect(documentProblem('passport', 'E12345678', TODAY)).toBeNull();
    expect(documentProblem('passport', 'E1', TODAY)).toMatch(/5 to 20/);
  });
  it('accepts mainland mobiles and E.164 numbers, refuses the rest', () => {
    expect(phoneProblem('13800138000')).toBeNull();
    expect(phoneProblem('+86 138-0013-8000')).toBeNull();
    expect(phoneProblem('+447911123456')).toBeNull();
    expect(phoneProblem('12345')).toMatch(/not a mobile/);
    expect(phoneProblem('02112345678')).toMatch(/not a mobile/);
  });
  it('keeps temperatures between 30 and 45 °C', () => {
    expect(temperatureProblem(36.6)).toBeNull();
    expect(temperatureProblem(29.9)).toMatch(/between 30 and 45/);
    expect(temperatureProblem(45.1)).toMatch(/between 30 and 45/);
  });
});
