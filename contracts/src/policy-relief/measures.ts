import type { EnterpriseSize, ReopeningStatus } from '../enterprise-reopening/events';
import type { BenefitKind, LandlordKind, ReliefArea, ReliefIssuer } from './events';

/**
 * The relief measures as versioned reference data: what the issuing offices
 * publish and what every eligibility answer, approval and figure refers to.
 *
 * Each measure carries the version of its rule set; an answer records the
 * version it was given under, and a new version is first replayed over past
 * applications as a dry run. Money is integer fen (1 yuan = 100 fen).
 *
 * The seed follows the city's relief package of February 2020 (28 measures in
 * six areas). Its closing dates are stretched past the original ones so that a
 * city run today can still apply; M13 keeps its historical closing date.
 */

/** One eligibility rule: the enterprise's value of `field` must be one of `oneOf`. */
export interface EligibilityRule {
  /** Id within the measure, e.g. `S1` (size), `L1` (landlord), `I1` (industry), `R1` (reopening), `D1` (district). */
  readonly id: string;
  readonly field: 'size' | 'industry' | 'landlordKind' | 'reopeningStatus' | 'district';
  readonly oneOf: readonly string[];
}

/** How much a measure grants at most to one application. */
export type AmountRule =
  /** A number of months of the rent the application states (rent waivers). */
  | { readonly kind: 'rent-months'; readonly months: number; readonly capFen: number }
  /** So much per employee (usual headcount), up to a cap. */
  | { readonly kind: 'per-employee'; readonly fenPerEmployee: number; readonly capFen: number }
  /** Up to a cap, as requested (credit lines, deferrals). */
  | { readonly kind: 'cap'; readonly capFen: number };

export interface ReliefMeasure {
  readonly measureId: string;
  /** Version of the measure's rule set. */
  readonly version: number;
  readonly title: string;
  readonly titleZh: string;
  readonly area: ReliefArea;
  readonly issuer: ReliefIssuer;
  readonly benefitKind: BenefitKind;
  readonly amountRule: AmountRule;
  readonly rules: readonly EligibilityRule[];
  /** First and last city day (YYYY-MM-DD, inclusive) applications are taken. */
  readonly opensOn: string;
  readonly closesOn: string;
  readonly budgetFen: number;
}

export interface MeasureCatalog {
  /** Edition of the catalog as a whole; each measure versions its own rules. */
  readonly edition: string;
  readonly measures: readonly ReliefMeasure[];
}

const SMALL: readonly EnterpriseSize[] = ['micro', 'small'];
const SME: readonly EnterpriseSize[] = ['micro', 'small', 'medium'];
const OPERATING: readonly ReopeningStatus[] = ['declared', 'rectification-required', 'rectification-submitted', 'inspection-passed', 'reopened'];
const IN_HARDSHIP: readonly ReopeningStatus[] = [
  'not-declared',
  'declared',
  'rectification-required',
  'rectification-submitted',
  'inspection-passed',
  'suspended',
];
/** Industries hit hardest (codes of enterprise-reopening's INDUSTRIES). */
const HARDEST_HIT = ['catering', 'wholesale-retail', 'hotels', 'transport', 'personal-services', 'education-training'];
const STATE_OWNED: readonly LandlordKind[] = ['state-owned'];
const YUAN = 100;
const MILLION_YUAN = 1_000_000 * YUAN;
const OPENS = '2020-02-08';
const CLOSES = '2030-12-31';

export const MEASURE_CATALOG: MeasureCatalog = {
  edition: '2020-02-08',
  measures: [
    {
      measureId: 'M01',
      version: 1,
      title: 'Two months of rent waived by state-owned landlords',
      titleZh: '国有企业房产租金减免两个月',
      area: 'lighter-burden',
      issuer: 'state-assets',
      benefitKind: 'rent-waiver',
      amountRule: { kind: 'rent-months', months: 2, capFen: 2 * MILLION_YUAN },
      rules: [
        { id: 'S1', field: 'size', oneOf: SMALL },
        { id: 'L1', field: 'landlordKind', oneOf: STATE_OWNED },
      ],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 800 * MILLION_YUAN,
    },
    {
      measureId: 'M02',
      version: 1,
      title: 'A further month of rent waived for small firms still in hardship',
      titleZh: '困难小微企业租金再减免一个月',
      area: 'lighter-burden',
      issuer: 'state-assets',
      benefitKind: 'rent-waiver',
      amountRule: { kind: 'rent-months', months: 1, capFen: 1 * MILLION_YUAN },
      rules: [
        { id: 'S1', field: 'size', oneOf: SMALL },
        { id: 'L1', field: 'landlordKind', oneOf: STATE_OWNED },
        { id: 'R1', field: 'reopeningStatus', oneOf: IN_HARDSHIP },
      ],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 200 * MILLION_YUAN,
    },
    {
      measureId: 'M03',
      version: 2,
      title: 'Rent relief by private landlords, offset against their property tax',
      titleZh: '民营业主减免租金抵扣房产税',
      area: 'lighter-burden',
      issuer: 'tax',
      benefitKind: 'rent-waiver',
      amountRule: { kind: 'rent-months', months: 1, capFen: 500_000 * YUAN },
      rules: [
        { id: 'S1', field: 'size', oneOf: SME },
        { id: 'L1', field: 'landlordKind', oneOf: ['private', 'collective'] },
      ],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 150 * MILLION_YUAN,
    },
    {
      measureId: 'M04',
      version: 1,
      title: 'Social-insurance contributions deferred up to six months',
      titleZh: '社会保险费缓缴（最长六个月）',
      area: 'keeping-jobs',
      issuer: 'human-resources',
      benefitKind: 'social-insurance-deferral',
      amountRule: { kind: 'per-employee', fenPerEmployee: 9_000 * YUAN, capFen: 5 * MILLION_YUAN },
      rules: [{ id: 'R1', field: 'reopeningStatus', oneOf: [...IN_HARDSHIP, 'reopened'] }],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 2_000 * MILLION_YUAN,
    },
    {
      measureId: 'M05',
      version: 1,
      title: 'Job-keeping subsidy: half of last year’s unemployment insurance returned',
      titleZh: '稳岗补贴：返还上年度失业保险费50%',
      area: 'keeping-jobs',
      issuer: 'human-resources',
      benefitKind: 'subsidy',
      amountRule: { kind: 'per-employee', fenPerEmployee: 500 * YUAN, capFen: 1 * MILLION_YUAN },
      rules: [{ id: 'R1', field: 'reopeningStatus', oneOf: OPERATING }],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 600 * MILLION_YUAN,
    },
    {
      measureId: 'M06',
      version: 1,
      title: 'Training subsidy for staff kept on during the shutdown',
      titleZh: '停工期间职工线上培训补贴',
      area: 'keeping-jobs',
      issuer: 'human-resources',
      benefitKind: 'subsidy',
      amountRule: { kind: 'per-employee', fenPerEmployee: 600 * YUAN, capFen: 300_000 * YUAN },
      rules: [
        { id: 'S1', field: 'size', oneOf: SME },
        { id: 'I1', field: 'industry', oneOf: HARDEST_HIT },
      ],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 120 * MILLION_YUAN,
    },
    {
      measureId: 'M07',
      version: 1,
      title: 'Credit lines for makers of epidemic-prevention supplies',
      titleZh: '防疫物资生产企业专项信贷',
      area: 'epidemic-supplies',
      issuer: 'financial-regulation',
      benefitKind: 'credit-line',
      amountRule: { kind: 'cap', capFen: 50 * MILLION_YUAN },
      rules: [{ id: 'I1', field: 'industry', oneOf: ['manufacturing', 'healthcare', 'logistics'] }],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 2_000 * MILLION_YUAN,
    },
    {
      measureId: 'M08',
      version: 1,
      title: 'Half of the interest on new loans to small firms paid by the city',
      titleZh: '小微企业新增贷款贴息50%',
      area: 'finance-support',
      issuer: 'finance',
      benefitKind: 'subsidy',
      amountRule: { kind: 'cap', capFen: 500_000 * YUAN },
      rules: [
        { id: 'S1', field: 'size', oneOf: SMALL },
        { id: 'R1', field: 'reopeningStatus', oneOf: [...OPERATING, 'not-declared'] },
      ],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 300 * MILLION_YUAN,
    },
    {
      measureId: 'M09',
      version: 1,
      title: 'Financing-guarantee fees cut to 0.5% for small firms',
      titleZh: '政策性融资担保费率降至0.5%',
      area: 'finance-support',
      issuer: 'finance',
      benefitKind: 'fee-reduction',
      amountRule: { kind: 'cap', capFen: 200_000 * YUAN },
      rules: [{ id: 'S1', field: 'size', oneOf: SMALL }],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 100 * MILLION_YUAN,
    },
    {
      measureId: 'M10',
      version: 1,
      title: 'Tax filing and payment deferred for firms hit hardest',
      titleZh: '受疫情影响较大企业延期申报纳税',
      area: 'lighter-burden',
      issuer: 'tax',
      benefitKind: 'tax-deferral',
      amountRule: { kind: 'cap', capFen: 10 * MILLION_YUAN },
      rules: [{ id: 'I1', field: 'industry', oneOf: HARDEST_HIT }],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 3_000 * MILLION_YUAN,
    },
    {
      measureId: 'M11',
      version: 1,
      title: 'Electricity, gas and water bills deferred and cut for industry and commerce',
      titleZh: '工商业用电用气用水费用缓缴减免',
      area: 'lighter-burden',
      issuer: 'economy',
      benefitKind: 'fee-reduction',
      amountRule: { kind: 'per-employee', fenPerEmployee: 200 * YUAN, capFen: 500_000 * YUAN },
      rules: [{ id: 'S1', field: 'size', oneOf: SME }],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 250 * MILLION_YUAN,
    },
    {
      measureId: 'M12',
      version: 1,
      title: 'Export credit insurance premiums subsidised for foreign-trade firms',
      titleZh: '外贸企业出口信用保险保费补贴',
      area: 'foreign-trade',
      issuer: 'commerce',
      benefitKind: 'subsidy',
      amountRule: { kind: 'cap', capFen: 1 * MILLION_YUAN },
      rules: [
        { id: 'S1', field: 'size', oneOf: SME },
        { id: 'I1', field: 'industry', oneOf: ['manufacturing', 'wholesale-retail', 'logistics'] },
      ],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 150 * MILLION_YUAN,
    },
    {
      measureId: 'M13',
      version: 1,
      title: 'Spring Festival restart grant for street shops (first wave, closed)',
      titleZh: '沿街商铺节后复工补助（首批，已截止）',
      area: 'government-services',
      issuer: 'commerce',
      benefitKind: 'subsidy',
      amountRule: { kind: 'cap', capFen: 20_000 * YUAN },
      rules: [{ id: 'I1', field: 'industry', oneOf: ['catering', 'wholesale-retail', 'personal-services'] }],
      opensOn: OPENS,
      closesOn: '2020-03-31',
      budgetFen: 20 * MILLION_YUAN,
    },
    {
      measureId: 'M14',
      version: 1,
      title: 'Changning street-shop reopening subsidy (Jiangsu Road and neighbours)',
      titleZh: '长宁区沿街商铺复工补贴',
      area: 'lighter-burden',
      issuer: 'finance',
      benefitKind: 'subsidy',
      amountRule: { kind: 'cap', capFen: 30_000 * YUAN },
      rules: [
        { id: 'D1', field: 'district', oneOf: ['310105'] },
        { id: 'S1', field: 'size', oneOf: SMALL },
        { id: 'R1', field: 'reopeningStatus', oneOf: ['reopened'] },
      ],
      opensOn: OPENS,
      closesOn: CLOSES,
      budgetFen: 5 * MILLION_YUAN,
    },
  ],
};

/** The measure of an id in the catalog; `undefined` for an unknown one. */
export function reliefMeasureOf(measureId: string): ReliefMeasure | undefined {
  return MEASURE_CATALOG.measures.find((m) => m.measureId === measureId);
}
