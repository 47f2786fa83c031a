import { ForbiddenError } from '@city/eventsourcing';
import { AccessPolicy } from './access-policy';
import type { Actor } from './actor';

// A department's declaration, as a department writes it in its domain.
const policy = new AccessPolicy({
  department: 'canvass',
  actions: {
    manage: { grants: { 'district-staff': 'district', department: 'city' } },
    visit: { verb: 'visit units in', grants: { 'field-official': 'subdistrict', 'district-staff': 'district', department: 'city' } },
    resize: { grants: { 'field-official': 'responsible', 'district-staff': 'district' } },
  },
});

const cityCenter: Actor = { sub: 'cc', role: 'city-center' };
const staff: Actor = { sub: 'cn', role: 'district-staff', district: '310105' };
const official: Actor = { sub: 'fo-1', role: 'field-official', district: '310105', subdistrict: '310105001' };
const canvassDesk: Actor = { sub: 'cd', role: 'department', department: 'canvass' };
const putuoDesk: Actor = { sub: 'pd', role: 'department', department: 'canvass', district: '310107' };
const healthDesk: Actor = { sub: 'hd', role: 'department', department: 'traveller-health' };

const unit = { district: '310105', subdistrict: '310105002', responsible: 'fo-2' };
const reasonOf = (decision: ReturnType<typeof policy.decide>) => (decision.allowed ? decision.relation : decision.reason);

describe('AccessPolicy', () => {
  it('names the roles an action grants, for the routes’ @Roles', () => {
    expect(policy.rolesOf('visit')).toEqual(['field-official', 'district-staff', 'department']);
    expect(policy.rolesOf('resize')).toEqual(['field-official', 'district-staff']);
  });

  it('refuses a role the action does not grant, and another department’s token', () => {
    expect(reasonOf(policy.decide('manage', cityCenter, unit))).toBe('wrong_role');
    expect(reasonOf(policy.decide('manage', official, unit))).toBe('wrong_role');
    expect(reasonOf(policy.decide('manage', healthDesk, unit))).toBe('wrong_department');
  });

  it('holds district staff to their district, and a department token that names one to it', () => {
    expect(reasonOf(policy.decide('manage', staff, unit))).toBe('standing-in');
    expect(reasonOf(policy.decide('manage', staff, { district: '310107' }))).toBe('other_district');
    expect(reasonOf(policy.decide('manage', canvassDesk, { district: '310107' }))).toBe('standing-in');
    expect(reasonOf(policy.decide('manage', putuoDesk, { district: '310107' }))).toBe('standing-in');
    expect(reasonOf(policy.decide('manage', putuoDesk, unit))).toBe('other_district');
  });

  it('lets a field official act where it answers, or stand in within its own subdistrict', () => {
    expect(reasonOf(policy.decide('visit', official, { ...unit, responsible: 'fo-1' }))).toBe('responsible');
    expect(reasonOf(policy.decide('visit', official, { ...unit, subdistrict: '310105001' }))).toBe('standing-in');
    expect(reasonOf(policy.decide('visit', official, unit))).toBe('other_subdistrict');
    expect(reasonOf(policy.decide('visit', official, { district: '310105' }))).toBe('other_subdistrict');
    expect(reasonOf(policy.decide('visit', official, { district: '310107', subdistrict: '310107001' }))).toBe('other_district');
  });

  it('lets a `responsible` reach act only on what it answers for', () => {
    expect(reasonOf(policy.decide('resize', official, { ...unit, responsible: 'fo-1' }))).toBe('responsible');
    expect(reasonOf(policy.decide('resize', official, { ...unit, subdistrict: '310105001' }))).toBe('other_subdistrict');
  });

  it('decides the whole city for a city-wide reach without a district on the token only', () => {
    expect(policy.allows('manage', canvassDesk)).toBe(true);
    expect(reasonOf(policy.decide('manage', putuoDesk))).toBe('other_district');
    expect(policy.districts('manage', canvassDesk)).toBe('all');
    expect(policy.districts('manage', staff)).toEqual(['310105']);
    expect(policy.districts('manage', official)).toEqual([]);
  });

  describe('committee reach', () => {
    const health = new AccessPolicy({
      department: 'traveller-health',
      actions: { observe: { verb: 'observe people in', grants: { 'field-official': 'committee', 'district-staff': 'district', department: 'city' } } },
    });
    const committeeWorker: Actor = { ...official, sub: 'cw-1', department: 'traveller-health', committee: '310105001003' };
    const subdistrictWorker: Actor = { ...official, sub: 'sw-1', department: 'traveller-health' };
    const person = { district: '310105', subdistrict: '310105001', committee: '310105001003' };
    const neighbour = { ...person, committee: '310105001004' };

    it('holds a worker whose token names a committee to that committee', () => {
      expect(reasonOf(health.decide('observe', committeeWorker, person))).toBe('standing-in');
      expect(reasonOf(health.decide('observe', committeeWorker, neighbour))).toBe('other_committee');
      expect(health.decide('observe', committeeWorker, neighbour)).toMatchObject({
        message: 'Token for committee 310105001003 may not observe people in committee 310105001004',
      });
      // The whole subdistrict (a list without a committee) is wider than the committee.
      expect(reasonOf(health.decide('observe', committeeWorker, { district: '310105', subdistrict: '310105001' }))).toBe('other_committee');
      expect(reasonOf(health.decide('observe', committeeWorker, { ...person, district: '310107' }))).toBe('other_district');
      expect(reasonOf(health.decide('observe', committeeWorker, { ...person, responsible: 'cw-1', committee: '310105002001' }))).toBe('responsible');
    });

    it('keeps the subdistrict reach of a token without a committee, and leaves other reaches as they were', () => {
      expect(reasonOf(health.decide('observe', subdistrictWorker, person))).toBe('standing-in');
      expect(reasonOf(health.decide('observe', subdistrictWorker, neighbour))).toBe('standing-in');
      expect(reasonOf(health.decide('observe', subdistrictWorker, { ...person, subdistrict: '310105002', committee: '310105002001' }))).toBe(
        'other_subdistrict',
      );
      expect(reasonOf(health.decide('observe', staff, neighbour))).toBe('standing-in');
      // A committee on a token changes nothing where a policy grants `subdistrict`.
      expect(
        reasonOf(policy.decide('visit', { ...official, committee: '310105001003' }, { ...unit, subdistrict: '310105001', committee: '310105001004' })),
      ).toBe('standing-in');
    });
  });

  it('throws a ForbiddenError with the reason and says what was refused', () => {
    expect(() => policy.assert('visit', staff, { district: '310107' })).toThrow(ForbiddenError);
    expect(() => policy.assert('visit', staff, { district: '310107' })).toThrow(
      expect.objectContaining({ reason: 'other_district', message: 'Token for district 310105 may not visit units in district 310107' }),
    );
    expect(policy.assert('visit', official, { ...unit, responsible: 'fo-1' })).toBe('responsible');
  });
});
