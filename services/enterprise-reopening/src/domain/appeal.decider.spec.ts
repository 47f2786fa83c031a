import { ForbiddenError, NotFoundError, RuleViolationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import type { AppealAnswered, AppealClosed, AppealEscalated, AppealFiled, AppealReopened, EnterpriseFacts } from '@city/contracts';
import type { Actor } from './command-context';
import { answerDueAt, appealDecider, type AnswerAppeal, type CloseAppeal, type EscalateAppeal, type FileAppeal, type ReopenAppeal } from './appeal.decider';
import { actors, by, CREDIT_CODE, DISTRICT, enterpriseActor, NOW, OTHER_CREDIT_CODE, SUBDISTRICT } from './testing/fixtures';

const spec = deciderSpecification(appealDecider);
const firm = enterpriseActor();
const DUE = '2020-02-13T02:00:00.000Z';
const LATER = '2020-02-11T10:00:00+08:00';
const OVERDUE = '2020-02-13T12:00:00+08:00';
const NEW_DUE = '2020-02-16T02:00:00.000Z';
const enterprise: EnterpriseFacts = {
  creditCode: CREDIT_CODE,
  size: 'small',
  industryCode: 'software-it-services',
  districtCode: DISTRICT,
  subdistrictCode: SUBDISTRICT,
  usualHeadcount: 86,
  reopeningStatus: 'reopened',
};
const facts = {
  appealId: 'appeal-1',
  creditCode: CREDIT_CODE,
  size: 'small',
  industryCode: 'software-it-services',
  districtCode: DISTRICT,
  subdistrictCode: SUBDISTRICT,
  department: 'human-resources-social-security',
} as const;

const filed: AppealFiled = {
  type: 'AppealFiled',
  data: { ...facts, category: 'staff-shortage', subject: 'Engineers stuck in Hubei', dueAt: DUE, filedBy: CREDIT_CODE, filedAt: NOW },
};
const escalated: AppealEscalated = {
  type: 'AppealEscalated',
  data: { ...facts, dueAt: DUE, escalatedTo: 'economy-informatization-commission', escalatedAt: OVERDUE },
};
const answered: AppealAnswered = {
  type: 'AppealAnswered',
  data: { ...facts, answer: 'Remote staff count', answeredBy: actors.commission.sub, answeredAt: LATER },
};
const closed: AppealClosed = { type: 'AppealClosed', data: { ...facts, resolved: true, closedBy: CREDIT_CODE, closedAt: LATER } };
const reopened: AppealReopened = {
  type: 'AppealReopened',
  data: { ...facts, reason: 'Portal refuses us', dueAt: NEW_DUE, reopenedBy: CREDIT_CODE, reopenedAt: LATER },
};

const file = (actor: Actor = firm, department: string = facts.department): FileAppeal => ({
  type: 'FileAppeal',
  data: { appealId: 'appeal-1', enterprise, category: 'staff-shortage', subject: 'Engineers stuck in Hubei', department, dueAt: DUE },
  metadata: by(actor),
});
const escalate = (dueAt = DUE, now = OVERDUE): EscalateAppeal => ({
  type: 'EscalateAppeal',
  data: { appealId: 'appeal-1', dueAt },
  metadata: by(actors.commission, now),
});
const answer = (text = 'Remote staff count', actor: Actor = actors.commission): AnswerAppeal => ({
  type: 'AnswerAppeal',
  data: { appealId: 'appeal-1', answer: text },
  metadata: by(actor, LATER),
});
const close = (actor: Actor = firm): CloseAppeal => ({ type: 'CloseAppeal', data: { appealId: 'appeal-1', resolved: true }, metadata: by(actor, LATER) });
const reopen: ReopenAppeal = { type: 'ReopenAppeal', data: { appealId: 'appeal-1', reason: 'Portal refuses us', dueAt: NEW_DUE }, metadata: by(firm, LATER) };

describe('appeal', () => {
  it('files an appeal routed to a department with a due time', () => spec.given([]).when(file()).then([filed]));
  it('does nothing when the same appeal is resent', () => spec.given([filed]).when(file()).thenNothingHappens());
  it('refuses a department that takes no appeals', () =>
    spec
      .given([])
      .when(file(firm, 'space-agency'))
      .thenThrows(RuleViolationError, /space-agency/));
  it('refuses another enterprise filing for this one', () =>
    spec
      .given([])
      .when(file(enterpriseActor(OTHER_CREDIT_CODE)))
      .thenThrows(ForbiddenError));
  it('escalates an appeal unanswered at its due time', () => spec.given([filed]).when(escalate()).then([escalated]));
  it('escalates once per due time', () => spec.given([filed, escalated]).when(escalate()).thenNothingHappens());
  it('does not escalate before the due time', () => spec.given([filed]).when(escalate(DUE, LATER)).thenNothingHappens());
  it('does not escalate an answered appeal', () => spec.given([filed, answered]).when(escalate()).thenNothingHappens());
  it('ignores the timer of a due time replaced by a reopening', () =>
    spec.given([filed, answered, reopened]).when(escalate(DUE, OVERDUE)).thenNothingHappens());
  it('records the department’s answer', () => spec.given([filed]).when(answer()).then([answered]));
  it('refuses a second, different answer', () =>
    spec
      .given([filed, answered])
      .when(answer('Something else'))
      .thenThrows(RuleViolationError, /reopen/));
  it('refuses the enterprise answering its own appeal', () => spec.given([filed]).when(answer('ok', firm)).thenThrows(ForbiddenError));
  it('refuses to answer an unknown appeal', () => spec.given([]).when(answer()).thenThrows(NotFoundError));
  it('lets the enterprise close an answered appeal', () => spec.given([filed, answered]).when(close()).then([closed]));
  it('refuses to close an appeal without an answer', () =>
    spec
      .given([filed])
      .when(close())
      .thenThrows(RuleViolationError, /no answer yet/));
  it('lets the enterprise reopen a closed appeal with a new due time', () => spec.given([filed, answered, closed]).when(reopen).then([reopened]));
  it('refuses to reopen an appeal still waiting for its answer', () =>
    spec
      .given([filed])
      .when(reopen)
      .thenThrows(RuleViolationError, /still waiting/));
  it('gives a department 72 hours to answer', () => expect(answerDueAt('2020-02-10T10:00:00+08:00')).toBe(DUE));
});
