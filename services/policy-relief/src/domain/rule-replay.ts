import type { ReliefApplicationSubmitted } from '@city/contracts';
import { checkEligibility, type RuleSet } from './eligibility';

/**
 * A dry run of a new version of a measure's eligibility rules over its past
 * applications: each is decided again on the facts it was submitted with, and
 * the answer lists who would become eligible or ineligible, and why. Nothing
 * is written: stored events are never rewritten, and a decision already made
 * stays made.
 */

export interface ReplayChange {
  readonly applicationId: string;
  readonly enterpriseId: string;
  /** Where the application stands now (a decided one stays decided). */
  readonly status: string;
  readonly change: 'becomes-eligible' | 'becomes-ineligible';
  readonly versionBefore: number;
  /** The rules of the new version that decide it: the failing ones, or all of them when it would pass. */
  readonly reasons: readonly string[];
}

export interface ReplayReport {
  readonly measureId: string;
  readonly version: number;
  readonly applications: number;
  readonly unchanged: number;
  readonly becomeEligible: number;
  readonly becomeIneligible: number;
  readonly changes: readonly ReplayChange[];
}

export function replayRuleSet(
  ruleSet: RuleSet,
  past: readonly { readonly submitted: ReliefApplicationSubmitted['data']; readonly status: string }[],
): ReplayReport {
  const changes: ReplayChange[] = [];
  for (const { submitted, status } of past) {
    const answer = checkEligibility(ruleSet, { ...submitted.facts, districtCode: submitted.districtCode });
    if (answer.eligible === submitted.eligibility.eligible) continue;
    const failing = answer.checks.filter((c) => !c.passed);
    changes.push({
      applicationId: submitted.applicationId,
      enterpriseId: submitted.enterpriseId,
      status,
      change: answer.eligible ? 'becomes-eligible' : 'becomes-ineligible',
      versionBefore: submitted.eligibility.measureVersion,
      reasons: (answer.eligible ? answer.checks : failing).map((c) => c.reason),
    });
  }
  const becomeEligible = changes.filter((c) => c.change === 'becomes-eligible').length;
  return {
    measureId: ruleSet.measureId,
    version: ruleSet.version,
    applications: past.length,
    unchanged: past.length - changes.length,
    becomeEligible,
    becomeIneligible: changes.length - becomeEligible,
    changes,
  };
}
