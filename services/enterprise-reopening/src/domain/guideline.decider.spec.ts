import { ForbiddenError, RuleViolationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import type { IndustryGuidelineIssued, PreventionMeasure } from '@city/contracts';
import type { Actor } from './command-context';
import { currentGuidelineOf, guidelineDecider, type IssueGuideline } from './guideline.decider';
import { actors, by, enterpriseActor, NOW } from './testing/fixtures';

const spec = deciderSpecification(guidelineDecider);
const masks: PreventionMeasure = { code: 'masks', requirement: 'Staff wear masks at work at all times' };
const ventilation: PreventionMeasure = { code: 'ventilation', requirement: 'Windows opened three times a day', timesPerDay: 3 };
const base = { industryCode: 'software-it-services', industryName: 'Software and IT services', title: 'Guideline' };

const issued = (guidelineVersion: number, measures: PreventionMeasure[], issuedBy = actors.commission.sub): IndustryGuidelineIssued => ({
  type: 'IndustryGuidelineIssued',
  data: { ...base, guidelineVersion, measures, issuedBy, issuedAt: NOW },
});
const issue = (measures: PreventionMeasure[], seed?: boolean, actor: Actor = actors.commission): IssueGuideline => ({
  type: 'IssueGuideline',
  data: { ...base, measures, ...(seed === undefined ? {} : { seed }) },
  metadata: by(actor),
});

describe('industry guideline', () => {
  it('seeds version 1 on an empty stream', () =>
    spec
      .given([])
      .when(issue([masks], true))
      .then([issued(1, [masks])]));
  it('does not seed over an issued guideline', () =>
    spec
      .given([issued(1, [masks])])
      .when(issue([masks, ventilation], true))
      .thenNothingHappens());
  it('issues the next version with more measures', () =>
    spec
      .given([issued(1, [masks])])
      .when(issue([masks, ventilation]))
      .then([issued(2, [masks, ventilation])]));
  it('does nothing when the same guideline is issued again', () =>
    spec
      .given([issued(1, [masks])])
      .when(issue([masks]))
      .thenNothingHappens());
  it('refuses a measure named twice', () =>
    spec
      .given([])
      .when(issue([masks, masks]))
      .thenThrows(RuleViolationError, /masks more than once/));
  it('refuses anyone but the commission', () =>
    spec
      .given([])
      .when(issue([masks], false, enterpriseActor()))
      .thenThrows(ForbiddenError));
  it('gives declarations the codes of the version in force', () =>
    expect(currentGuidelineOf(issued(2, [masks, ventilation]).data)).toEqual({
      industryCode: base.industryCode,
      guidelineVersion: 2,
      measures: ['masks', 'ventilation'],
    }));
});
