import { assertNever, RuleViolationError, type Decider } from '@city/eventsourcing';
import type { IndustryGuidelineIssued, PreventionMeasure } from '@city/contracts';
import { enterpriseReopeningAccess } from './access-policy';
import type { CommandContext } from './command-context';
import type { CurrentGuideline } from './industry-catalog';
import { Rule } from './rules';

/**
 * The prevention guideline of one industry (`enterprise-reopening.guideline-<industry>`),
 * as versioned reference data: version 1 is seeded from the catalog in
 * `@city/contracts` (INITIAL_GUIDELINES) when the service starts; the commission
 * issues later versions. A declaration is checked against the version in force
 * when it is made and keeps that version; later versions never touch it.
 */

export type IssueGuideline = {
  readonly type: 'IssueGuideline';
  readonly data: {
    readonly industryCode: string;
    readonly industryName: string;
    readonly title: string;
    readonly measures: readonly PreventionMeasure[];
    /** The seed of version 1: issued only while the stream is empty. */
    readonly seed?: boolean;
  };
  readonly metadata: CommandContext;
};

export type GuidelineCommand = IssueGuideline;
export type GuidelineEvent = IndustryGuidelineIssued;

export type GuidelineState = { readonly status: 'none' } | { readonly status: 'issued'; readonly current: IndustryGuidelineIssued['data'] };

export function initialState(): GuidelineState {
  return { status: 'none' };
}

export function evolve(_state: GuidelineState, event: GuidelineEvent): GuidelineState {
  switch (event.type) {
    case 'IndustryGuidelineIssued':
      return { status: 'issued', current: event.data };
    default:
      return assertNever(event.type, 'guideline event');
  }
}

export function issueGuideline(command: IssueGuideline, state: GuidelineState): GuidelineEvent[] {
  const { seed, ...d } = command.data;
  const { actor, now } = command.metadata;
  enterpriseReopeningAccess.assert('issueGuideline', actor);
  if (seed === true && state.status === 'issued') return []; // seeded already
  const codes = d.measures.map((m) => m.code);
  const repeated = codes.filter((code, i) => codes.indexOf(code) !== i);
  if (repeated.length > 0) throw new RuleViolationError(Rule.duplicateMeasure, `measures name ${[...new Set(repeated)].join(', ')} more than once`);
  if (state.status === 'issued' && sameGuideline(state.current, d)) return []; // the same version issued again
  const guidelineVersion = state.status === 'issued' ? state.current.guidelineVersion + 1 : 1;
  return [{ type: 'IndustryGuidelineIssued', data: { ...d, measures: d.measures.map(measureOf), guidelineVersion, issuedBy: actor.sub, issuedAt: now } }];
}

export function decide(command: GuidelineCommand, state: GuidelineState): GuidelineEvent[] {
  switch (command.type) {
    case 'IssueGuideline':
      return issueGuideline(command, state);
    default:
      return assertNever(command.type, 'guideline command');
  }
}

export const guidelineDecider: Decider<GuidelineCommand, GuidelineEvent, GuidelineState> = { decide, evolve, initialState };

/** The guideline in force, as a declaration is checked against it. */
export function currentGuidelineOf(issued: IndustryGuidelineIssued['data']): CurrentGuideline {
  return { industryCode: issued.industryCode, guidelineVersion: issued.guidelineVersion, measures: issued.measures.map((m) => m.code) };
}

function measureOf(m: PreventionMeasure): PreventionMeasure {
  return {
    code: m.code,
    requirement: m.requirement,
    ...(m.requirementZh === undefined ? {} : { requirementZh: m.requirementZh }),
    ...(m.timesPerDay === undefined ? {} : { timesPerDay: m.timesPerDay }),
  };
}

function sameGuideline(current: IndustryGuidelineIssued['data'], d: { readonly title: string; readonly measures: readonly PreventionMeasure[] }): boolean {
  return current.title === d.title && JSON.stringify(current.measures) === JSON.stringify(d.measures.map(measureOf));
}
