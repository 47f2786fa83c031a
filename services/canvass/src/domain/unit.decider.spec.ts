import { foldEvents, ForbiddenError, NotFoundError, RuleViolationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import type {
  CanvassFindings,
  CanvassVisitRecorded,
  DoorstepServiceDelivered,
  ResponsibleOfficialAssigned,
  UnitRegistered,
  UnitRetired,
  UnitSizeUpdated,
} from '@city/contracts';
import type { Actor } from './command-context';
import { actors, by, DISTRICT, NOW, OTHER_SUBDISTRICT, SUBDISTRICT } from './testing/fixtures';
import {
  unitDecider,
  type AssignResponsibleOfficial,
  type RecordCanvassVisit,
  type RecordDoorstepService,
  type RegisterUnit,
  type RetireUnit,
  type UpdateUnitSize,
} from './unit.decider';

const spec = deciderSpecification(unitDecider);
const UNIT = 'unit-a';
const where = { districtCode: DISTRICT, subdistrictCode: SUBDISTRICT };
const size = { tenants: 40, shops: 0, households: 0 };

// ---- events -------------------------------------------------------------------

const registered: UnitRegistered = {
  type: 'UnitRegistered',
  data: {
    unitId: UNIT,
    kind: 'office-building',
    name: 'Building A',
    address: '1 Yuyuan Road',
    ...where,
    residentsCommittee: 'Yuyuan',
    size,
    registeredAt: NOW,
  },
};
const assigned = (officialId: string, previousOfficialId: string | null = null, at = NOW): ResponsibleOfficialAssigned => ({
  type: 'ResponsibleOfficialAssigned',
  data: { ...where, unitId: UNIT, officialId, previousOfficialId, assignedBy: actors.districtStaff.sub, assignedAt: at },
});
const retired: UnitRetired = { type: 'UnitRetired', data: { ...where, unitId: UNIT, kind: 'office-building', reason: 'demolished', retiredAt: NOW } };
const findings: CanvassFindings = {
  tenantsOpened: 1,
  tenantsClosed: 0,
  householdsCanvassed: 0,
  returnedFromOutside: 3,
  inHomeObservation: 2,
  problems: [{ category: 'prevention-supplies', description: 'no thermometer at the lobby' }],
  note: '1 new tenant opened; shops unchanged',
};
const visitAt = '2020-02-10T09:30:00+08:00';
const visited = (visitId: string, recordedBy: Actor, standingIn: boolean, officialId = actors.official.sub): CanvassVisitRecorded => ({
  type: 'CanvassVisitRecorded',
  data: { ...where, visitId, unitId: UNIT, kind: 'office-building', officialId, recordedBy: recordedBy.sub, standingIn, visitedAt: visitAt, findings },
});
const delivered = (serviceId: string, deliveredBy: Actor = actors.official): DoorstepServiceDelivered => ({
  type: 'DoorstepServiceDelivered',
  data: { ...where, serviceId, unitId: UNIT, kind: 'groceries', deliveredBy: deliveredBy.sub, deliveredAt: visitAt, households: 2 },
});

// ---- commands -----------------------------------------------------------------

const register = (actor: Actor = actors.districtStaff, overrides: Partial<RegisterUnit['data']> = {}): RegisterUnit => ({
  type: 'RegisterUnit',
  data: {
    unitId: UNIT,
    kind: 'office-building',
    name: 'Building A',
    address: '1 Yuyuan Road',
    ...where,
    residentsCommittee: 'Yuyuan',
    size,
    registeredSubdistricts: [SUBDISTRICT, OTHER_SUBDISTRICT],
    ...overrides,
  },
  metadata: by(actor),
});
const resize = (newSize = { tenants: 41, shops: 0, households: 0 }, actor: Actor = actors.districtStaff): UpdateUnitSize => ({
  type: 'UpdateUnitSize',
  data: { unitId: UNIT, size: newSize },
  metadata: by(actor),
});
const retire = (actor: Actor = actors.districtStaff): RetireUnit => ({
  type: 'RetireUnit',
  data: { unitId: UNIT, reason: 'demolished' },
  metadata: by(actor),
});
const assign = (officialId: string, actor: Actor = actors.districtStaff): AssignResponsibleOfficial => ({
  type: 'AssignResponsibleOfficial',
  data: { unitId: UNIT, officialId },
  metadata: by(actor),
});
const visit = (visitId: string, actor: Actor = actors.official, visitedAt = visitAt): RecordCanvassVisit => ({
  type: 'RecordCanvassVisit',
  data: { unitId: UNIT, visitId, visitedAt, findings },
  metadata: by(actor),
});
const deliver = (serviceId: string, actor: Actor = actors.official, deliveredAt = visitAt): RecordDoorstepService => ({
  type: 'RecordDoorstepService',
  data: { unitId: UNIT, serviceId, kind: 'groceries', households: 2, deliveredAt },
  metadata: by(actor),
});

describe('unit', () => {
  describe('RegisterUnit', () => {
    it('registers a unit in a registered subdistrict', () => {
      spec.given([]).when(register()).then([registered]);
    });

    it('lets the canvass department register anywhere', () => {
      spec.given([]).when(register(actors.department)).then([registered]);
    });

    it('leaves residentsCommittee out when none is given', () => {
      const { residentsCommittee: _omitted, ...data } = registered.data;
      spec
        .given([])
        .when(register(actors.districtStaff, { residentsCommittee: undefined }))
        .then([{ type: 'UnitRegistered', data }]);
    });

    it('does nothing when the same registration is retried', () => {
      spec
        .given([registered, assigned('official-wang')])
        .when(register())
        .thenNothingHappens();
    });

    it('refuses another unit under an id already taken', () => {
      spec
        .given([registered])
        .when(register(actors.districtStaff, { name: 'Building B' }))
        .thenThrows(RuleViolationError, /already registered/);
    });

    it('refuses a subdistrict the district has not registered', () => {
      spec
        .given([])
        .when(register(actors.districtStaff, { registeredSubdistricts: [OTHER_SUBDISTRICT] }))
        .thenThrows(RuleViolationError, /not registered in district/);
    });

    it('refuses an unknown district', () => {
      spec
        .given([])
        .when(register(actors.department, { districtCode: '310199' }))
        .thenThrows(RuleViolationError, /not one of the city's districts/);
    });

    it('refuses staff of another district, field officials and the city center', () => {
      for (const actor of [actors.otherDistrictStaff, actors.official, actors.cityCenter, actors.otherDepartment]) {
        spec.given([]).when(register(actor)).thenThrows(ForbiddenError);
      }
    });
  });

  describe('UpdateUnitSize', () => {
    const updated = (tenants: number): UnitSizeUpdated => ({
      type: 'UnitSizeUpdated',
      data: { ...where, unitId: UNIT, kind: 'office-building', size: { tenants, shops: 0, households: 0 }, updatedAt: NOW },
    });

    it('records the new size', () => {
      spec
        .given([registered])
        .when(resize())
        .then([updated(41)]);
    });

    it('lets the responsible official update the size of their unit', () => {
      spec
        .given([registered, assigned('official-wang')])
        .when(resize(undefined, actors.official))
        .then([updated(41)]);
    });

    it('does nothing when the size is unchanged', () => {
      spec.given([registered]).when(resize(size)).thenNothingHappens();
    });

    it('refuses an unknown unit', () => {
      spec
        .given([])
        .when(resize())
        .thenThrows(NotFoundError, /Unknown unit/);
    });

    it('refuses a retired unit', () => {
      spec
        .given([registered, retired])
        .when(resize())
        .thenThrows(RuleViolationError, /retired/);
    });

    it('refuses a field official who does not answer for the unit, even of the same subdistrict', () => {
      spec
        .given([registered, assigned('official-wang')])
        .when(resize(undefined, actors.colleague))
        .thenThrows(ForbiddenError);
    });

    it('answers staff of another district as for an unknown unit (access rule 5)', () => {
      spec.given([registered]).when(resize(undefined, actors.otherDistrictStaff)).thenThrows(NotFoundError);
    });
  });

  describe('RetireUnit', () => {
    it('retires the unit', () => {
      spec.given([registered]).when(retire()).then([retired]);
    });

    it('does nothing when the unit is already retired', () => {
      spec.given([registered, retired]).when(retire()).thenNothingHappens();
    });

    it('refuses an unknown unit', () => {
      spec.given([]).when(retire()).thenThrows(NotFoundError);
    });

    it('refuses field officials, even the responsible one', () => {
      spec
        .given([registered, assigned('official-wang')])
        .when(retire(actors.official))
        .thenThrows(ForbiddenError);
    });
  });

  describe('AssignResponsibleOfficial', () => {
    it('assigns the first official with no previous one', () => {
      spec
        .given([registered])
        .when(assign('official-wang'))
        .then([assigned('official-wang')]);
    });

    it('reassigns, naming the previous official', () => {
      spec
        .given([registered, assigned('official-wang')])
        .when(assign('official-li'))
        .then([assigned('official-li', 'official-wang')]);
    });

    it('does nothing when the official already answers for the unit', () => {
      spec
        .given([registered, assigned('official-wang')])
        .when(assign('official-wang'))
        .thenNothingHappens();
    });

    it('refuses an unknown unit', () => {
      spec.given([]).when(assign('official-wang')).thenThrows(NotFoundError);
    });

    it('refuses a retired unit', () => {
      spec
        .given([registered, retired])
        .when(assign('official-wang'))
        .thenThrows(RuleViolationError, /retired/);
    });

    it('refuses field officials', () => {
      spec.given([registered]).when(assign('official-wang', actors.official)).thenThrows(ForbiddenError);
    });

    it('answers staff of another district as for an unknown unit', () => {
      spec.given([registered]).when(assign('official-wang', actors.otherDistrictStaff)).thenThrows(NotFoundError);
    });
  });

  describe('RecordCanvassVisit', () => {
    const ready = [registered, assigned('official-wang')];

    it('records the responsible official’s visit', () => {
      spec
        .given(ready)
        .when(visit('v-1'))
        .then([visited('v-1', actors.official, false)]);
    });

    it('records a colleague of the same subdistrict as standing in', () => {
      spec
        .given(ready)
        .when(visit('v-1', actors.colleague))
        .then([visited('v-1', actors.colleague, true)]);
    });

    it('records district staff and the department as standing in', () => {
      spec
        .given(ready)
        .when(visit('v-1', actors.districtStaff))
        .then([visited('v-1', actors.districtStaff, true)]);
      spec
        .given(ready)
        .when(visit('v-1', actors.department))
        .then([visited('v-1', actors.department, true)]);
    });

    it('records a second visit the same day', () => {
      spec
        .given([...ready, visited('v-1', actors.official, false)])
        .when(visit('v-2'))
        .then([visited('v-2', actors.official, false)]);
    });

    it('does nothing when the phone resends a visit already recorded', () => {
      spec
        .given([...ready, visited('v-1', actors.official, false)])
        .when(visit('v-1'))
        .thenNothingHappens();
    });

    it('does nothing when the resent visit writes the same moment with another offset', () => {
      spec
        .given([...ready, visited('v-1', actors.official, false)])
        .when(visit('v-1', actors.official, new Date(visitAt).toISOString()))
        .thenNothingHappens();
    });

    it('refuses a visit id resent with other findings, naming them', () => {
      const other: RecordCanvassVisit = {
        ...visit('v-1'),
        data: { ...visit('v-1').data, findings: { ...findings, tenantsOpened: findings.tenantsOpened + 1, note: undefined } },
      };
      spec
        .given([...ready, visited('v-1', actors.official, false)])
        .when(other)
        .thenThrows(
          RuleViolationError,
          /^Visit v-1 is already recorded with a different findings\.note, findings\.tenantsOpened: resend the same body to retry, or use a new id$/,
        );
    });

    it('refuses a visit id resent with another time', () => {
      spec
        .given([...ready, visited('v-1', actors.official, false)])
        .when(visit('v-1', actors.official, '2020-02-10T08:00:00+08:00'))
        .thenThrows(RuleViolationError, /different visitedAt/);
    });

    it('names the official who answers for the unit after a reassignment', () => {
      spec
        .given([...ready, assigned('official-li', 'official-wang')])
        .when(visit('v-1', actors.colleague))
        .then([visited('v-1', actors.colleague, false, 'official-li')]);
    });

    it('accepts a visit recorded offline and sent later', () => {
      const yesterday = '2020-02-09T18:00:00+08:00';
      const event = visited('v-1', actors.official, false);
      spec
        .given(ready)
        .when(visit('v-1', actors.official, yesterday))
        .then([{ ...event, data: { ...event.data, visitedAt: yesterday } }]);
    });

    it('refuses an unknown unit', () => {
      spec.given([]).when(visit('v-1')).thenThrows(NotFoundError);
    });

    it('refuses a retired unit', () => {
      spec
        .given([...ready, retired])
        .when(visit('v-1'))
        .thenThrows(RuleViolationError, /retired/);
    });

    it('refuses a unit nobody answers for yet', () => {
      spec
        .given([registered])
        .when(visit('v-1', actors.districtStaff))
        .thenThrows(RuleViolationError, /no responsible official/);
    });

    it('refuses a visit dated in the future', () => {
      spec
        .given(ready)
        .when(visit('v-1', actors.official, '2020-02-10T11:00:00+08:00'))
        .thenThrows(RuleViolationError, /in the future/);
    });

    it('refuses the city center, which may open the unit', () => {
      spec.given(ready).when(visit('v-1', actors.cityCenter)).thenThrows(ForbiddenError);
    });

    it('answers those who may not open the unit as for an unknown one (access rule 5)', () => {
      for (const actor of [actors.farOfficial, actors.otherDistrictStaff, actors.otherDepartment]) {
        spec.given(ready).when(visit('v-1', actor)).thenThrows(NotFoundError);
        spec.given([]).when(visit('v-1', actor)).thenThrows(NotFoundError);
      }
    });
  });

  describe('RecordDoorstepService', () => {
    const ready = [registered, assigned('official-wang')];

    it('records groceries brought to households in home observation', () => {
      spec
        .given(ready)
        .when(deliver('s-1'))
        .then([delivered('s-1')]);
    });

    it('lets a colleague of the subdistrict deliver', () => {
      spec
        .given(ready)
        .when(deliver('s-1', actors.colleague))
        .then([delivered('s-1', actors.colleague)]);
    });

    it('does nothing when the same service is resent', () => {
      spec
        .given([...ready, delivered('s-1')])
        .when(deliver('s-1'))
        .thenNothingHappens();
    });

    it('refuses a service id resent for other households or another kind', () => {
      const other: RecordDoorstepService = { ...deliver('s-1'), data: { ...deliver('s-1').data, households: 5, kind: 'medicine' } };
      spec
        .given([...ready, delivered('s-1')])
        .when(other)
        .thenThrows(RuleViolationError, /^Doorstep service s-1 is already recorded with a different kind, households/);
    });

    it('refuses an unknown unit', () => {
      spec.given([]).when(deliver('s-1')).thenThrows(NotFoundError);
    });

    it('refuses a retired unit', () => {
      spec
        .given([...ready, retired])
        .when(deliver('s-1'))
        .thenThrows(RuleViolationError, /retired/);
    });

    it('refuses a delivery dated in the future', () => {
      spec
        .given(ready)
        .when(deliver('s-1', actors.official, '2020-02-11T10:00:00+08:00'))
        .thenThrows(RuleViolationError, /in the future/);
    });

    it('answers a field official of another subdistrict as for an unknown unit', () => {
      spec.given(ready).when(deliver('s-1', actors.farOfficial)).thenThrows(NotFoundError);
    });
  });

  describe('state', () => {
    it('keeps the registration once, the size now, and which visits and services were recorded', () => {
      const state = foldEvents(unitDecider, [registered, assigned('official-wang'), visited('v-1', actors.official, false), delivered('s-1')]);
      expect(state).toEqual({
        status: 'active',
        registration: registered.data,
        size,
        officialId: 'official-wang',
        visits: new Map([['v-1', { visitedAt: visitAt, findings }]]),
        services: new Map([['s-1', { kind: 'groceries', households: 2, deliveredAt: visitAt }]]),
      });
    });
  });
});
