import { ForbiddenError, NotFoundError, RuleViolationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import type { TravellerHealthCaseClosed, TravellerHealthCaseOpened } from '@city/contracts';
import { caseDecider, type CloseCase, type OpenCase } from './case.decider';
import type { Actor } from './command-context';

const spec = deciderSpecification(caseDecider);
const NOW = '2020-02-12T09:30:00+08:00';
const CASE = 'case-1';
const staff: Actor = { sub: 'staff-chen', role: 'district-staff', district: '310105' };
const otherStaff: Actor = { sub: 'staff-xu', role: 'district-staff', district: '310107' };
const official: Actor = { sub: 'official-wang', role: 'field-official', district: '310105', subdistrict: '310105002' };

const open = (actor: Actor = staff, subject = 'First case', subdistrictCode = '310105002'): OpenCase => ({
  type: 'OpenCase',
  data: { caseId: CASE, districtCode: '310105', subdistrictCode, subject },
  metadata: { actor, now: NOW },
});
const close = (actor: Actor = staff): CloseCase => ({ type: 'CloseCase', data: { caseId: CASE }, metadata: { actor, now: NOW } });

const opened: TravellerHealthCaseOpened = {
  type: 'TravellerHealthCaseOpened',
  data: { caseId: CASE, districtCode: '310105', subdistrictCode: '310105002', subject: 'First case', openedBy: 'staff-chen', openedAt: NOW },
};
const closed: TravellerHealthCaseClosed = {
  type: 'TravellerHealthCaseClosed',
  data: { caseId: CASE, districtCode: '310105', subdistrictCode: '310105002', closedBy: 'staff-chen', closedAt: NOW },
};

describe('traveller-health case', () => {
  it('opens a case', () => {
    spec.given([]).when(open()).then([opened]);
  });

  it('does nothing when the same opening is retried', () => {
    spec.given([opened]).when(open()).thenNothingHappens();
  });

  it('refuses another case under an id already taken', () => {
    spec.given([opened]).when(open(staff, 'Other')).thenThrows(RuleViolationError, 'already open');
  });

  it('refuses a subdistrict of another district', () => {
    const inPutuo = open(staff, 'First case', '310107017');
    spec.given([]).when(inPutuo).thenThrows(RuleViolationError, 'not in district');
  });

  it('refuses staff of another district and field officials', () => {
    spec.given([]).when(open(otherStaff)).thenThrows(ForbiddenError);
    spec.given([]).when(open(official)).thenThrows(ForbiddenError);
  });

  it('closes an open case', () => {
    spec.given([opened]).when(close()).then([closed]);
  });

  it('does nothing when the case is already closed', () => {
    spec.given([opened, closed]).when(close()).thenNothingHappens();
  });

  it('refuses to close an unknown case', () => {
    spec.given([]).when(close()).thenThrows(NotFoundError, 'Unknown case');
  });
});
