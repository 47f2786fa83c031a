import type { FiredRule, RiskClass } from '@city/contracts';
import { classify, type RiskFacts, type RuleSet } from './risk-rules';

/**
 * A dry run of a rule set over past registrations: each is classified again on the facts it
 * was declared with, and the answer lists whose class would change and by which rules. Nothing
 * is written: stored events are never rewritten, and a classification made stays made.
 * (The shape follows policy-relief's replay of eligibility rules.)
 */

/** A registration as recorded, with the facts it was classified on, or why they cannot be read again. */
export interface PastRegistration {
  readonly registrationId: string;
  readonly travellerId: string;
  readonly registeredAt: string;
  readonly riskClass: RiskClass;
  readonly ruleSetVersion: string;
  readonly firedRuleIds: readonly string[];
  /** `erased`: the person's data key was destroyed; `not-kept`: registered before declarations were kept. */
  readonly facts: RiskFacts | 'erased' | 'not-kept';
}

export interface ReplayChange {
  readonly registrationId: string;
  readonly travellerId: string;
  readonly registeredAt: string;
  readonly change: 'becomes-key' | 'becomes-general';
  readonly classBefore: RiskClass;
  readonly ruleSetVersionBefore: string;
  readonly firedBefore: readonly string[];
  /** The rules of the replayed set that fire now (none when the person becomes general). */
  readonly firedRules: readonly FiredRule[];
}

export interface ReplayReport {
  readonly ruleSetVersion: string;
  /** Registrations read from the history. */
  readonly registrations: number;
  /** Those classified again (the rest could not be: erased, or declared before declarations were kept). */
  readonly replayed: number;
  readonly unchanged: number;
  readonly becomeKey: number;
  readonly becomeGeneral: number;
  readonly notReplayable: { readonly erased: number; readonly notKept: number };
  /** The changes, oldest registration first; at most the limit asked for (the counts are complete). */
  readonly changes: readonly ReplayChange[];
  readonly changesListed: number;
}

/** Accumulates a replay page by page (the history may not fit in memory at once). */
export class RuleReplay {
  private registrations = 0;
  private erased = 0;
  private notKept = 0;
  private becomeKey = 0;
  private becomeGeneral = 0;
  private readonly changes: ReplayChange[] = [];

  constructor(
    private readonly ruleSet: RuleSet,
    private readonly changeLimit: number,
  ) {}

  add(past: PastRegistration): void {
    this.registrations++;
    if (past.facts === 'erased') return void this.erased++;
    if (past.facts === 'not-kept') return void this.notKept++;
    const now = classify(this.ruleSet, past.facts);
    if (now.riskClass === past.riskClass) return;
    if (now.riskClass === 'key') this.becomeKey++;
    else this.becomeGeneral++;
    if (this.changes.length >= this.changeLimit) return;
    this.changes.push({
      registrationId: past.registrationId,
      travellerId: past.travellerId,
      registeredAt: past.registeredAt,
      change: now.riskClass === 'key' ? 'becomes-key' : 'becomes-general',
      classBefore: past.riskClass,
      ruleSetVersionBefore: past.ruleSetVersion,
      firedBefore: past.firedRuleIds,
      firedRules: now.firedRules,
    });
  }

  report(): ReplayReport {
    const replayed = this.registrations - this.erased - this.notKept;
    return {
      ruleSetVersion: this.ruleSet.version,
      registrations: this.registrations,
      replayed,
      unchanged: replayed - this.becomeKey - this.becomeGeneral,
      becomeKey: this.becomeKey,
      becomeGeneral: this.becomeGeneral,
      notReplayable: { erased: this.erased, notKept: this.notKept },
      changes: this.changes,
      changesListed: this.changes.length,
    };
  }
}
