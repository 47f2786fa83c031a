import { readFileSync } from 'fs';
import { join } from 'path';
import { DISTRICTS, DISTRICT_CODES } from './districts';
import { validateEventData } from './contract-test-support';

interface DistrictsReference {
  readonly standard: string;
  readonly districts: readonly { readonly code: string; readonly name: string; readonly nameZh: string }[];
}

const reference = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'districts.json'), 'utf8')) as DistrictsReference;

describe('reference/districts.json', () => {
  it('lists the same 16 districts, codes and names as districts.ts', () => {
    expect(reference.standard).toBe('GB/T 2260');
    expect(reference.districts).toEqual(DISTRICTS.map((d) => ({ ...d })));
    expect(reference.districts).toHaveLength(16);
    expect(new Set(reference.districts.map((d) => d.code)).size).toBe(16);
  });

  it('has codes of the city (31xxxx) with Chinese district names', () => {
    for (const d of reference.districts) {
      expect(d.code).toMatch(/^31\d{4}$/);
      expect(d.nameZh).toMatch(/(区|新区)$/);
    }
  });

  it('is what the event schemas accept as a district, and nothing else', () => {
    const base = { subdistrictCode: '', name: 'Test Subdistrict', registeredAt: '2020-02-03T08:15:00+08:00' };
    for (const code of DISTRICT_CODES) {
      expect(validateEventData('SubdistrictRegistered', 1, { ...base, districtCode: code, subdistrictCode: `${code}001` })).toEqual({ valid: true });
    }
    for (const code of ['310108', '310230', '110101', '31010']) {
      expect(validateEventData('SubdistrictRegistered', 1, { ...base, districtCode: code, subdistrictCode: '310105001' }).valid).toBe(false);
    }
  });
});
