import type { EligibilityAnswer, EligibilityCheck, EligibilityRule, EnterpriseFactsSnapshot, LandlordKind, ReliefMeasure } from '@city/contracts';
import { assertNever } from '@city/eventsourcing';
import { yuan } from './money';

/**
 * The automatic eligibility check: every rule of a measure's rule set applied
 * to the facts of one enterprise, each with pass or fail and why, e.g.
 * "size: small — passes rule S1 of measure M01 v1",
 * "landlord: private — fails rule L1 of measure M03 v2 (needs state-owned)".
 * Pure: the same facts and rule set always give the same answer, which is
 * what lets a new rule version be replayed over past applications.
 */

/** The facts an answer is given on: the enterprise as policy-relief's view knows it, plus what the application states. */
export interface ApplicantFacts extends EnterpriseFactsSnapshot {
  readonly districtCode: string;
}

/** A rule set: the rules of one version of a measure. */
export interface RuleSet {
  readonly measureId: string;
  readonly version: number;
  readonly rules: readonly EligibilityRule[];
}

const LABELS: Readonly<Record<EligibilityRule['field'], string>> = {
  size: 'size',
  industry: 'industry',
  landlordKind: 'landlord',
  reopeningStatus: 'reopening',
  district: 'district',
};

export function checkEligibility(ruleSet: RuleSet, facts: ApplicantFacts): EligibilityAnswer {
  const checks = ruleSet.rules.map((rule) => checkRule(ruleSet, rule, facts));
  return { eligible: checks.every((c) => c.passed), measureVersion: ruleSet.version, checks };
}

/** A rule checked ahead of an application: `passed` is null for a rule on what only the application states (the landlord), when not given yet. */
export interface PreviewCheck extends Omit<EligibilityCheck, 'passed' | 'value'> {
  readonly value: string | null;
  readonly passed: boolean | null;
}

/** What an application would be answered today: eligible, not, or null while a rule waits on the landlord the application will state. */
export interface EligibilityPreview {
  readonly eligible: boolean | null;
  readonly measureVersion: number;
  readonly checks: readonly PreviewCheck[];
}

/**
 * The eligibility answer an enterprise would get if it applied now, on the facts the
 * view holds; the landlord is the enterprise's to state, so without it a landlord
 * rule is left open ("depends on who you rent from") rather than guessed.
 */
export function previewEligibility(
  ruleSet: RuleSet,
  facts: Omit<ApplicantFacts, 'landlordKind'> & { readonly landlordKind?: LandlordKind },
): EligibilityPreview {
  const checks: PreviewCheck[] = ruleSet.rules.map((rule) => {
    if (rule.field === 'landlordKind' && facts.landlordKind === undefined) {
      const needs = rule.oneOf.length === 1 ? rule.oneOf[0] : `one of ${rule.oneOf.join(', ')}`;
      return {
        rule: rule.id,
        field: rule.field,
        value: null,
        passed: null,
        reason: `landlord: stated on the application — rule ${rule.id} of measure ${ruleSet.measureId} v${ruleSet.version} needs ${needs}`,
      };
    }
    // Only a landlord rule reads landlordKind, and it is given when reached here.
    return checkRule(ruleSet, rule, facts as ApplicantFacts);
  });
  const eligible = checks.some((c) => c.passed === false) ? false : checks.every((c) => c.passed === true) ? true : null;
  return { eligible, measureVersion: ruleSet.version, checks };
}

function checkRule(ruleSet: RuleSet, rule: EligibilityRule, facts: ApplicantFacts): EligibilityCheck {
  const value = valueOf(rule.field, facts);
  const passed = rule.oneOf.includes(value);
  const where = `rule ${rule.id} of measure ${ruleSet.measureId} v${ruleSet.version}`;
  const reason = passed
    ? `${LABELS[rule.field]}: ${value} — passes ${where}`
    : `${LABELS[rule.field]}: ${value} — fails ${where} (needs ${rule.oneOf.length === 1 ? rule.oneOf[0] : `one of ${rule.oneOf.join(', ')}`})`;
  return { rule: rule.id, field: rule.field, value, passed, reason };
}

function valueOf(field: EligibilityRule['field'], facts: ApplicantFacts): string {
  switch (field) {
    case 'size':
      return facts.size;
    case 'industry':
      return facts.industry;
    case 'landlordKind':
      return facts.landlordKind;
    case 'reopeningStatus':
      return facts.reopeningStatus;
    case 'district':
      return facts.districtCode;
    default:
      return assertNever(field, 'eligibility field');
  }
}

/** The most the measure's amount rule grants, and how it was counted; `needsRent` when a rent waiver was asked without the rent. */
export type MaxGrant = { readonly ok: true; readonly maxGrantFen: number; readonly basis: string } | { readonly ok: false; readonly needsRent: true };

export function maxGrantOf(measure: Pick<ReliefMeasure, 'amountRule'>, headcount: number, monthlyRentFen: number | undefined): MaxGrant {
  const rule = measure.amountRule;
  switch (rule.kind) {
    case 'rent-months': {
      if (monthlyRentFen === undefined) return { ok: false, needsRent: true };
      const byRent = rule.months * monthlyRentFen;
      return byRent <= rule.capFen
        ? { ok: true, maxGrantFen: byRent, basis: `${rule.months} month(s) of rent at ${yuan(monthlyRentFen)}` }
        : { ok: true, maxGrantFen: rule.capFen, basis: `the cap of ${yuan(rule.capFen)}` };
    }
    case 'per-employee': {
      const byHeads = rule.fenPerEmployee * headcount;
      return byHeads <= rule.capFen
        ? { ok: true, maxGrantFen: byHeads, basis: `${headcount} employees at ${yuan(rule.fenPerEmployee)}` }
        : { ok: true, maxGrantFen: rule.capFen, basis: `the cap of ${yuan(rule.capFen)}` };
    }
    case 'cap':
      return { ok: true, maxGrantFen: rule.capFen, basis: `the cap of ${yuan(rule.capFen)}` };
    default:
      return assertNever(rule, 'amount rule');
  }
}
