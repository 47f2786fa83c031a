import { assertNever, NotFoundError, RuleViolationError, type Decider } from '@city/eventsourcing';
import { APPEAL_DEPARTMENT_CODES, type AppealCategory, type AppealEvent, type AppealFacts, type AppealFiled, type EnterpriseFacts } from '@city/contracts';
import { enterpriseReopeningAccess, enterpriseScope } from './access-policy';
import type { CommandContext } from './command-context';
import { Rule } from './rules';

/**
 * An appeal of an enterprise (`enterprise-reopening.appeal-<id>`), routed to a
 * named department with a due time: answered by that department (recorded by the
 * commission's desk or the district), then closed by the enterprise, or reopened
 * with a new due time. An appeal still unanswered at its due time is escalated to
 * the commission: the scheduler issues `EscalateAppeal` at the due time, as a
 * command like any other, and a timer that outlived its due time (answered, or
 * reopened with a new one) changes nothing.
 */

/** How long a department has to answer, by default. */
export const APPEAL_ANSWER_HOURS = 72;
/** Where an overdue appeal goes. */
export const ESCALATION_OFFICE = 'economy-informatization-commission';

/** The department an appeal of each category goes to unless the enterprise names one. */
export const DEFAULT_DEPARTMENT: Readonly<Record<AppealCategory, string>> = {
  'staff-shortage': 'human-resources-social-security',
  'supply-chain': 'economy-informatization-commission',
  'cash-flow': 'finance-bureau',
  'prevention-supplies': 'economy-informatization-commission',
  'rent-and-fees': 'state-owned-assets',
  permits: 'market-regulation',
  other: 'economy-informatization-commission',
};

export type FileAppeal = {
  readonly type: 'FileAppeal';
  readonly data: {
    readonly appealId: string;
    /** The enterprise as it is now, read by the handler from its stream. */
    readonly enterprise: EnterpriseFacts;
    readonly category: AppealCategory;
    readonly subject: string;
    readonly details?: string;
    readonly department: string;
    readonly dueAt: string;
  };
  readonly metadata: CommandContext;
};

/** Issued by the scheduler at the due time; not offered over HTTP. */
export type EscalateAppeal = {
  readonly type: 'EscalateAppeal';
  readonly data: { readonly appealId: string; readonly dueAt: string };
  readonly metadata: CommandContext;
};

export type AnswerAppeal = {
  readonly type: 'AnswerAppeal';
  readonly data: { readonly appealId: string; readonly answer: string };
  readonly metadata: CommandContext;
};

export type CloseAppeal = {
  readonly type: 'CloseAppeal';
  readonly data: { readonly appealId: string; readonly resolved: boolean };
  readonly metadata: CommandContext;
};

export type ReopenAppeal = {
  readonly type: 'ReopenAppeal';
  readonly data: { readonly appealId: string; readonly reason: string; readonly dueAt: string };
  readonly metadata: CommandContext;
};

export type AppealCommand = FileAppeal | EscalateAppeal | AnswerAppeal | CloseAppeal | ReopenAppeal;

export interface FiledAppeal {
  readonly status: 'open' | 'answered' | 'closed';
  readonly filed: AppealFiled['data'];
  readonly facts: AppealFacts;
  readonly dueAt: string;
  /** The due time it was escalated for, if it was. */
  readonly escalatedFor: string | null;
  readonly answer: string | null;
}

export type AppealState = { readonly status: 'none' } | FiledAppeal;

export function initialState(): AppealState {
  return { status: 'none' };
}

export function evolve(state: AppealState, event: AppealEvent): AppealState {
  if (event.type === 'AppealFiled') {
    return { status: 'open', filed: event.data, facts: appealFactsOf(event.data), dueAt: event.data.dueAt, escalatedFor: null, answer: null };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'AppealEscalated':
      return { ...state, escalatedFor: event.data.dueAt };
    case 'AppealAnswered':
      return { ...state, status: 'answered', answer: event.data.answer };
    case 'AppealClosed':
      return { ...state, status: 'closed' };
    case 'AppealReopened':
      return { ...state, status: 'open', dueAt: event.data.dueAt, answer: null };
    default:
      return assertNever(event, 'appeal event');
  }
}

export function fileAppeal(command: FileAppeal, state: AppealState): AppealEvent[] {
  const { enterprise, ...d } = command.data;
  const { actor, now } = command.metadata;
  enterpriseReopeningAccess.assert('act', actor, enterpriseScope(enterprise));
  if (!APPEAL_DEPARTMENT_CODES.includes(d.department)) throw new RuleViolationError(Rule.unknownDepartment, `department ${d.department} takes no appeals`);
  if (state.status !== 'none') {
    if (state.filed.creditCode === enterprise.creditCode && state.filed.subject === d.subject) return []; // a resent appeal
    throw new RuleViolationError(Rule.appealIdTaken, `Appeal ${d.appealId} is already filed`);
  }
  return [
    {
      type: 'AppealFiled',
      data: {
        appealId: d.appealId,
        creditCode: enterprise.creditCode,
        size: enterprise.size,
        industryCode: enterprise.industryCode,
        districtCode: enterprise.districtCode,
        subdistrictCode: enterprise.subdistrictCode,
        department: d.department,
        category: d.category,
        subject: d.subject,
        ...(d.details === undefined ? {} : { details: d.details }),
        dueAt: d.dueAt,
        filedBy: actor.sub,
        filedAt: now,
      },
    },
  ];
}

export function escalateAppeal(command: EscalateAppeal, state: AppealState): AppealEvent[] {
  const { appealId, dueAt } = command.data;
  const { now } = command.metadata;
  const a = filed(state, appealId);
  // A timer for a due time that no longer holds (answered, closed, reopened with a new one) changes nothing.
  if (a.status !== 'open' || a.dueAt !== dueAt || a.escalatedFor === dueAt || Date.parse(now) < Date.parse(dueAt)) return [];
  return [{ type: 'AppealEscalated', data: { ...a.facts, dueAt, escalatedTo: ESCALATION_OFFICE, escalatedAt: now } }];
}

export function answerAppeal(command: AnswerAppeal, state: AppealState): AppealEvent[] {
  const { appealId, answer } = command.data;
  const { actor, now } = command.metadata;
  const a = filed(state, appealId);
  enterpriseReopeningAccess.assert('answerAppeal', actor, { district: a.facts.districtCode, subdistrict: a.facts.subdistrictCode });
  if (a.status === 'closed') throw new RuleViolationError(Rule.appealClosed, `Appeal ${appealId} is closed`);
  if (a.status === 'answered') {
    if (a.answer === answer) return []; // the same answer again
    throw new RuleViolationError(Rule.appealAlreadyAnswered, `Appeal ${appealId} is answered; the enterprise may reopen it`);
  }
  return [{ type: 'AppealAnswered', data: { ...a.facts, answer, answeredBy: actor.sub, answeredAt: now } }];
}

export function closeAppeal(command: CloseAppeal, state: AppealState): AppealEvent[] {
  const { appealId, resolved } = command.data;
  const { actor, now } = command.metadata;
  const a = filed(state, appealId);
  enterpriseReopeningAccess.assert('act', actor, enterpriseScope(a.facts));
  if (a.status === 'closed') return []; // closed already
  if (a.status === 'open') throw new RuleViolationError(Rule.appealNotAnswered, `Appeal ${appealId} has no answer yet`);
  return [{ type: 'AppealClosed', data: { ...a.facts, resolved, closedBy: actor.sub, closedAt: now } }];
}

export function reopenAppeal(command: ReopenAppeal, state: AppealState): AppealEvent[] {
  const { appealId, reason, dueAt } = command.data;
  const { actor, now } = command.metadata;
  const a = filed(state, appealId);
  enterpriseReopeningAccess.assert('act', actor, enterpriseScope(a.facts));
  if (a.status === 'open') throw new RuleViolationError(Rule.appealStillOpen, `Appeal ${appealId} is still waiting for its answer`);
  return [{ type: 'AppealReopened', data: { ...a.facts, reason, dueAt, reopenedBy: actor.sub, reopenedAt: now } }];
}

export function decide(command: AppealCommand, state: AppealState): AppealEvent[] {
  switch (command.type) {
    case 'FileAppeal':
      return fileAppeal(command, state);
    case 'EscalateAppeal':
      return escalateAppeal(command, state);
    case 'AnswerAppeal':
      return answerAppeal(command, state);
    case 'CloseAppeal':
      return closeAppeal(command, state);
    case 'ReopenAppeal':
      return reopenAppeal(command, state);
    default:
      return assertNever(command, 'appeal command');
  }
}

export const appealDecider: Decider<AppealCommand, AppealEvent, AppealState> = { decide, evolve, initialState };

/** The due time of an answer to an appeal filed or reopened at `now`; a department has 72 hours unless the service is set otherwise. */
export function answerDueAt(now: string, answerWithinMs = APPEAL_ANSWER_HOURS * 3600_000): string {
  return new Date(Date.parse(now) + answerWithinMs).toISOString();
}

function filed(state: AppealState, appealId: string): FiledAppeal {
  if (state.status === 'none') throw new NotFoundError(`Unknown appeal ${appealId}`);
  return state;
}

function appealFactsOf(d: AppealFacts): AppealFacts {
  return {
    appealId: d.appealId,
    creditCode: d.creditCode,
    size: d.size,
    industryCode: d.industryCode,
    districtCode: d.districtCode,
    subdistrictCode: d.subdistrictCode,
    department: d.department,
  };
}
