import { creditCodeCheckCharacter, CREDIT_CODE_ALPHABET, INDUSTRIES, type EnterpriseSize } from '@city/contracts';
import { SeededRandom } from './random';
import { scenarioSubdistricts } from './city-subdistricts';

/** One enterprise of the scenario, and how far it will get. */
export interface PlannedEnterprise {
  readonly creditCode: string;
  readonly name: string;
  readonly industryCode: string;
  readonly size: EnterpriseSize;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly usualHeadcount: number;
  /** Whether it declares at all, and reopens once cleared. */
  readonly willReopen: boolean;
}

/** The enterprise the README walks through: registered by the scenario, left for the reader to declare. */
export const SAMPLE_ENTERPRISE: PlannedEnterprise = {
  creditCode: '91310105MA1FL3KX0K',
  name: 'Shanghai Yuyuan Software Co., Ltd.',
  industryCode: 'software-it-services',
  size: 'small',
  districtCode: '310105',
  subdistrictCode: '310105002',
  usualHeadcount: 86,
  willReopen: false,
};

/** Share of each industry's firms that reopen (the source: 80%+ of software and IT services firms by mid-February). */
const REOPENING: Readonly<Record<string, number>> = {
  'software-it-services': 0.88,
  finance: 0.85,
  logistics: 0.8,
  'office-buildings': 0.8,
  healthcare: 0.8,
  manufacturing: 0.75,
  construction: 0.7,
  markets: 0.7,
  'wholesale-retail': 0.65,
  transport: 0.6,
  catering: 0.45,
  hotels: 0.4,
  'personal-services': 0.35,
  'education-training': 0.3,
};
/** How common each industry is among the registered enterprises. */
const WEIGHT: Readonly<Record<string, number>> = {
  'software-it-services': 14,
  manufacturing: 12,
  'wholesale-retail': 16,
  catering: 12,
  'office-buildings': 4,
  logistics: 6,
  construction: 5,
  hotels: 4,
  markets: 3,
  transport: 3,
  finance: 5,
  healthcare: 4,
  'education-training': 5,
  'personal-services': 7,
};
const SIZES: readonly { size: EnterpriseSize; share: number; headcount: [number, number] }[] = [
  { size: 'micro', share: 0.5, headcount: [2, 9] },
  { size: 'small', share: 0.3, headcount: [10, 99] },
  { size: 'medium', share: 0.15, headcount: [100, 299] },
  { size: 'large', share: 0.05, headcount: [300, 3000] },
];
const NAME_PARTS = ['Huaxin', 'Pujiang', 'Dongfang', 'Jinqiao', 'Xinhua', 'Hengtong', 'Minsheng', 'Zhongyuan', 'Baolong', 'Ruifeng', 'Tianhe', 'Yongan'];

/** A valid unified social credit code of an enterprise registered in a district (GB 32100-2015). */
export function creditCodeOf(districtCode: string, random: SeededRandom): string {
  const organisation = Array.from({ length: 9 }, () => CREDIT_CODE_ALPHABET[random.int(0, CREDIT_CODE_ALPHABET.length - 1)]).join('');
  const first17 = `91${districtCode}${organisation}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

/** A few thousand enterprises over the 16 districts and the seeded industries; the same on every start. */
export function planEnterprises(count = 2400, seed = 20200213): PlannedEnterprise[] {
  const random = new SeededRandom(seed);
  const subdistricts = scenarioSubdistricts();
  const industries = INDUSTRIES.flatMap((i) => Array.from({ length: WEIGHT[i.code] ?? 1 }, () => i.code));
  const out: PlannedEnterprise[] = [SAMPLE_ENTERPRISE];
  const codes = new Set(out.map((e) => e.creditCode));
  while (out.length < count) {
    const sd = random.pick(subdistricts);
    const industryCode = random.pick(industries);
    let r = random.next();
    const size = SIZES.find((s) => (r -= s.share) < 0) ?? SIZES[0];
    const creditCode = creditCodeOf(sd.districtCode, random);
    if (codes.has(creditCode)) continue;
    codes.add(creditCode);
    const industry = INDUSTRIES.find((i) => i.code === industryCode)?.name ?? industryCode;
    out.push({
      creditCode,
      name: `Shanghai ${random.pick(NAME_PARTS)} ${industry} Co., Ltd. No. ${out.length}`,
      industryCode,
      size: size.size,
      districtCode: sd.districtCode,
      subdistrictCode: sd.subdistrictCode,
      usualHeadcount: random.int(size.headcount[0], size.headcount[1]),
      willReopen: random.chance(REOPENING[industryCode] ?? 0.5),
    });
  }
  return out;
}
